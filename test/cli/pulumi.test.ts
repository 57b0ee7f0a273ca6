/**
 * The root program with the real Pulumi CLI, where one is installed: `pulumi preview` and
 * `pulumi up` on a local backend against the emulator, after the build the README asks for.
 * Skips cleanly without a `pulumi` binary, and says so.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { REPO_ROOT } from "../engine/fixture";
import { cliWorkspace, describeWithCli as cliDescribe, type CliWorkspace } from "./cli";

const describeWithCli = cliDescribe(__filename);

describeWithCli("the root program with the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  const pulumi = (...args: string[]) => workspace.pulumi(REPO_ROOT, ...args);

  beforeAll(async () => {
    workspace = cliWorkspace("cf-pulumi-");
    // The root project's main is getting-started's compiled program.
    await promisify(execFile)("npm", ["run", "build"], { cwd: path.join(REPO_ROOT, "examples", "getting-started") });
    emulator = await startEmulator();
    await pulumi("stack", "init", "cli-test");
    await pulumi("config", "set", "causeflow:apiUrl", emulator.url);
    await pulumi("config", "set", "--secret", "causeflow:apiToken", emulator.adminToken);
  }, 120_000);
  afterAll(async () => {
    await workspace.close(REPO_ROOT);
    await emulator?.close();
  });

  it("creates the tenant with `pulumi up` and then previews no changes", async () => {
    await pulumi("up", "--yes", "--skip-preview");
    expect(emulator.store.size).toBe(1);
    const { stdout } = await pulumi("preview", "--diff", "--expect-no-changes");
    expect(stdout).not.toContain(emulator.adminToken);
  }, 300_000);
});
