/**
 * The CLI journeys on a machine with no Go and no built CLI, as jest shows them: skipped, with one
 * line saying which and why, and a passing run; under CI=true, a failing one.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../support/repo";


/** Runs jest on the YAML journey with an empty CLI cache and a PATH holding node and the system's tools, but no Go. */
async function jestWithoutCli(ci: string): Promise<{ failed: boolean; stderr: string }> {
  const emptyCache = mkdtempSync(path.join(tmpdir(), "cf-no-cli-"));
  try {
    const jest = path.join(REPO_ROOT, "node_modules", "jest", "bin", "jest.js");
    const env: NodeJS.ProcessEnv = { ...process.env, CI: ci, CAUSEFLOW_PULUMI_CACHE: emptyCache, PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter) };
    delete env.CAUSEFLOW_TEST_PULUMI;
    const { stderr } = await promisify(execFile)(process.execPath, [jest, "--ci", "--no-watchman", "test/e2e/yaml.test.ts"], { cwd: REPO_ROOT, env });
    return { failed: false, stderr };
  } catch (error) {
    return { failed: true, stderr: String((error as { stderr?: string }).stderr) };
  } finally {
    rmSync(emptyCache, { recursive: true, force: true });
  }
}

it("skips the journeys without Go, saying in one line which and why", async () => {
  const { failed, stderr } = await jestWithoutCli("");
  expect(failed).toBe(false);
  const lines = stderr.split("\n").filter((line) => line.startsWith("CLI journeys skipped"));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^CLI journeys skipped \((\w[\w-]*, )*yaml(, \w[\w-]*)*\): no Go on this machine to build the pinned Pulumi CLI$/);
  expect(stderr).toMatch(/Tests: +\d+ skipped, \d+ total/);
}, 120_000);

it("fails them under CI=true, where the CLI must be there", async () => {
  const { failed, stderr } = await jestWithoutCli("true");
  expect(failed).toBe(true);
  expect(stderr).toContain("CI runs the CLI journeys, but no Go on this machine to build the pinned Pulumi CLI");
}, 120_000);
