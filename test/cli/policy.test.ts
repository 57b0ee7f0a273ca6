/**
 * The policy pack with the real Pulumi CLI, where one is installed: `pulumi preview
 * --policy-pack policy` on the root program (getting-started's tenant, against the emulator), with
 * the pack's defaults and with a `--policy-pack-config` file. Skips cleanly without a `pulumi`
 * binary, and says so.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { REPO_ROOT } from "../engine/fixture";
import { ensurePackBuilt, PACK_DIR } from "../policy/analyzer";
import { cliWorkspace, describeWithCli, type CliWorkspace } from "./cli";

describeWithCli(__filename)("the policy pack with the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  const pulumi = (...args: string[]) => workspace.pulumi(REPO_ROOT, ...args);
  /** `pulumi preview` with the pack and, if given, this config file; what it printed, and whether it failed. */
  async function preview(config?: Record<string, unknown>): Promise<{ failed: boolean; output: string }> {
    const args = ["preview", "--policy-pack", PACK_DIR];
    if (config) {
      const file = path.join(workspace.home, "policy-config.json");
      writeFileSync(file, JSON.stringify(config));
      args.push("--policy-pack-config", file);
    }
    try {
      const { stdout, stderr } = await pulumi(...args);
      return { failed: false, output: stdout + stderr };
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      return { failed: true, output: stdout + stderr };
    }
  }

  beforeAll(async () => {
    workspace = cliWorkspace("cf-policy-cli-");
    await promisify(execFile)("npm", ["run", "build"], { cwd: path.join(REPO_ROOT, "examples", "getting-started") });
    ensurePackBuilt();
    emulator = await startEmulator();
    await pulumi("stack", "init", "cli-policy");
    await pulumi("config", "set", "causeflow:apiUrl", emulator.url);
  }, 120_000);
  afterAll(async () => {
    await workspace.close(REPO_ROOT);
    await emulator?.close();
  });

  it("stops the preview of the root program's tenant, a region without a role, naming the policy and the tenant", async () => {
    const { failed, output } = await preview();
    expect(failed).toBe(true);
    expect(output).toContain("causeflow-aws-settings-complete");
    expect(output).toContain('CauseFlow tenant "getting-started-cli-policy"');
    expect(output).toContain("settings sets awsRegion");
    expect(emulator.store.size).toBe(0);
  }, 300_000);

  it("passes with that policy made advisory by --policy-pack-config, and still shows it", async () => {
    const { failed, output } = await preview({ "causeflow-aws-settings-complete": "advisory" });
    expect({ failed, output }).toEqual({ failed: false, output: expect.stringContaining("causeflow-aws-settings-complete") });
  }, 300_000);

  it("refuses a config file the pack's schemas do not allow, before the program runs", async () => {
    const { failed, output } = await preview({ "causeflow-allowed-plans": { allowedPlans: ["gold"] } });
    expect(failed).toBe(true);
    expect(output).toContain("causeflow-allowed-plans");
  }, 300_000);
});
