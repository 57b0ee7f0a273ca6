/**
 * Issue 18, scenario 6: the API token revoked in the middle of a fleet's `pulumi up`, through the
 * real Pulumi CLI and the plugin from YAML. The run stops with one error that names
 * `causeflow:apiToken` (the others in flight or scheduled fail pointing at it, and nothing more is
 * sent); after `pulumi config set --secret causeflow:apiToken …` the next `pulumi up` converges,
 * each tenant created once.
 */
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, printed } from "../support/cli/workspace";

const FLEET = 40;
const REVOKED_AFTER = 10;
const TENANT = "causeflow:index:Tenant";

describeWithCli()("the API token revoked during a fleet's `pulumi up`", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", latencyMs: 50 }] });
    workspace = new CliWorkspace("cf-cli-revoked-");
    project = await workspace.fleetProject("revoked", FLEET, "revoked", emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("stops with one error naming causeflow:apiToken, and converges once the token is set again", async () => {
    let revokedAt = -1;
    const watch = setInterval(() => {
      if (emulator.store.all().length < REVOKED_AFTER) return;
      emulator.faults.failNext({ status: 401, count: Number.MAX_SAFE_INTEGER });
      revokedAt = emulator.journal.length;
      clearInterval(watch);
    }, 5);
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview"]).finally(() => clearInterval(watch));
    expect(up.code).not.toBe(0);
    const diagnostics = printed(up).slice(printed(up).indexOf("Diagnostics:"));
    expect(diagnostics.match(/causeflow:apiToken/g)).toHaveLength(1);
    expect(diagnostics.match(/HTTP 401/g)).toHaveLength(1);
    expect(diagnostics).toContain("refused this provider's token, first on tenant");
    // Only what was in flight when the token was refused reached the API after it.
    expect(emulator.journal.length - revokedAt).toBeLessThanOrEqual(16);

    emulator.faults.clear();
    await workspace.pulumi(project, "config", "set", "--secret", "causeflow:apiToken", emulator.adminToken);
    const again = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
    expect(again.code).toBe(0);
    const state = JSON.parse((await workspace.pulumi(project, "stack", "export")).stdout) as { deployment: { resources: { type: string; id: string }[] } };
    const recorded = state.deployment.resources.filter((resource) => resource.type === TENANT).map((resource) => resource.id);
    expect(recorded.sort()).toEqual(emulator.store.all().map((tenant) => tenant.tenantId).sort());
    expect(emulator.store.all()).toHaveLength(FLEET);
  }, 300_000);
});
