/**
 * The root program with the real Pulumi CLI, where one is installed: `pulumi preview` and
 * `pulumi up` on a local backend against the emulator. Skips cleanly without a `pulumi` binary.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { REPO_ROOT } from "../engine/fixture";

function hasPulumi(): boolean {
  try {
    execFileSync("pulumi", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const describeWithCli = hasPulumi() ? describe : describe.skip;

describeWithCli("the root program with the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  const home = mkdtempSync(path.join(tmpdir(), "cf-pulumi-"));
  const env = { ...process.env, PULUMI_BACKEND_URL: `file://${home}`, PULUMI_CONFIG_PASSPHRASE: "test", PULUMI_HOME: home };
  const pulumi = (...args: string[]) => promisify(execFile)("pulumi", [...args, "--non-interactive"], { cwd: REPO_ROOT, env });

  beforeAll(async () => {
    emulator = await startEmulator();
    await pulumi("stack", "init", "cli-test");
    await pulumi("config", "set", "causeflow:apiUrl", emulator.url);
    await pulumi("config", "set", "--secret", "causeflow:apiToken", emulator.adminToken);
  }, 120_000);
  afterAll(async () => {
    await pulumi("stack", "rm", "--yes", "--force").catch(() => undefined);
    await emulator?.close();
  });

  it("creates the tenant with `pulumi up` and then previews no changes", async () => {
    await pulumi("up", "--yes", "--skip-preview");
    expect(emulator.store.size).toBe(1);
    const { stdout } = await pulumi("preview", "--diff", "--expect-no-changes");
    expect(stdout).not.toContain(emulator.adminToken);
  }, 300_000);
});
