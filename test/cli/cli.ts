/**
 * The Pulumi CLI, for the tests that need the real one: whether it is on PATH, and a `describe`
 * that skips cleanly without it, saying so in one line where jest's output is read.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

function hasPulumi(): boolean {
  try {
    execFileSync("pulumi", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const cliFound = hasPulumi();

/** `describe` where a `pulumi` binary exists, else `describe.skip` and one line on stderr naming the test file. */
export function describeWithCli(testFile: string): jest.Describe {
  // A skipped describe shows in jest's summary only as a count: say why, once.
  if (!cliFound) process.stderr.write(`test/cli/${path.basename(testFile)}: skipped, no \`pulumi\` on PATH (install the Pulumi CLI to run it)\n`);
  return cliFound ? describe : describe.skip;
}

/** A Pulumi home and a local backend of their own, in a temporary folder, for one test file. */
export interface CliWorkspace {
  home: string;
  /** The environment `pulumi` runs with; a test may add to it (PATH, say) before its first run. */
  env: NodeJS.ProcessEnv;
  /** Runs `pulumi <args> --non-interactive` in `cwd`. */
  pulumi(cwd: string, ...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Removes the current stack (if any) and the folder. */
  close(cwd: string): Promise<void>;
}

/** Made in a `beforeAll`, not in a describe's body, which jest runs even when the describe is skipped. */
export function cliWorkspace(prefix: string): CliWorkspace {
  const home = mkdtempSync(path.join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_BACKEND_URL: `file://${home}`, PULUMI_CONFIG_PASSPHRASE: "test", PULUMI_HOME: home };
  const pulumi = (cwd: string, ...args: string[]) => promisify(execFile)("pulumi", [...args, "--non-interactive"], { cwd, env });
  return {
    home,
    env,
    pulumi,
    async close(cwd) {
      await pulumi(cwd, "stack", "rm", "--yes", "--force").catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
