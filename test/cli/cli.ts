/**
 * The Pulumi CLI, for the tests that need the real one: whether it is on PATH, and a `describe`
 * that skips cleanly without it, saying so in one line where jest's output is read.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

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
