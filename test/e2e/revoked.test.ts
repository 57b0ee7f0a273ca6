/**
 * Issue 18, scenario 6: the API token revoked in the middle of a fleet's `pulumi up`, through the
 * real Pulumi CLI, for the plugin from YAML and for the dynamic `causeflow.Tenant`. The run stops with one error that names
 * `causeflow:apiToken` (the others in flight or scheduled fail pointing at it, and nothing more is
 * sent); after `pulumi config set --secret causeflow:apiToken …` the next `pulumi up` converges,
 * each tenant created once.
 */
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, printed } from "../support/cli/workspace";
import { audit, checkpoint, CLEAN, errorsPrinted, expectTheNextUpConverges, fleetSize, reportFigures, type Checkpoint } from "../support/cli/scenarios";

const FLEET = fleetSize(40);
const REVOKED_AFTER = 10;
/** The engine's parallelism, pinned: its default grows with the machine's cores. */
const PARALLEL = 8;

/** Revokes the token (401 from then on) once the emulator holds REVOKED_AFTER tenants; `requestsSince()` counts what reached it after. */
function revokeMidFleet(emulator: RunningEmulator) {
  let revokedAt: number | undefined;
  const watch = setInterval(() => {
    if (emulator.store.all().length < REVOKED_AFTER) return;
    emulator.faults.failNext({ status: 401, count: Number.MAX_SAFE_INTEGER });
    revokedAt = emulator.journal.length;
    clearInterval(watch);
  }, 5);
  return { stop: () => clearInterval(watch), requestsSince: () => emulator.journal.length - (revokedAt ?? Number.NaN) };
}

/**
 * One error names the token; the others point at it; only what was in flight reached the API after
 * the revocation: at most PARALLEL calls refused, and as many started by creates that succeeded
 * just before it.
 */
function expectOneTokenError(printedByRun: string, requestsSince: number): void {
  // The CLI's diagnostics block, once (the Automation API's error repeats what the run printed).
  const start = printedByRun.indexOf("Diagnostics:");
  const diagnostics = printedByRun.slice(start, printedByRun.indexOf("Resources:", start));
  expect(diagnostics.match(/causeflow:apiToken/g)).toHaveLength(1);
  expect(diagnostics.match(/HTTP 401/g)).toHaveLength(1);
  expect(diagnostics).toContain("refused this provider's token, first on tenant");
  expect(requestsSince).toBeLessThanOrEqual(2 * PARALLEL);
}

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
    const revocation = revokeMidFleet(emulator);
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--parallel", String(PARALLEL)]).finally(revocation.stop);
    expect(up.code).not.toBe(0);
    expectOneTokenError(printed(up), revocation.requestsSince());
    const afterFailure = audit(emulator, [{ slugPrefix: "revoked", state: await checkpoint(workspace, project) }]);
    expect(afterFailure).toEqual(CLEAN);

    emulator.faults.clear();
    await workspace.pulumi(project, "config", "set", "--secret", "causeflow:apiToken", emulator.adminToken);
    const afterRecovery = await expectTheNextUpConverges(workspace, project, emulator, "revoked", FLEET);
    reportFigures({ scenario: "6 token revoked", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(printed(up)).slice(0, 2) });
  }, 300_000);
});

describeWithCli()("the API token revoked during a fleet's `pulumi up` of dynamic tenants", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", latencyMs: 50 }] });
    workspace = new CliWorkspace("cf-cli-revoked-dynamic-");
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("stops with one error naming causeflow:apiToken, and converges once the token is set again", async () => {
    const stack = await workspace.inlineStack("revoked-dynamic", "dev", async () => {
      for (let i = 0; i < FLEET; i++) new causeflow.Tenant(`t${i}`, { name: `Fleet ${i}`, slug: `revoked-dyn-${i}`, ownerEmail: "o@fleet.example" });
    }, emulator);
    const revocation = revokeMidFleet(emulator);
    // The Automation API's error quotes what the run printed, escaping its quotes.
    const failed = await stack.up({ parallel: PARALLEL }).then(() => "succeeded", (error: Error) => error.message.replace(/\\"/g, '"')).finally(revocation.stop);
    expect(failed).not.toBe("succeeded");
    expectOneTokenError(failed, revocation.requestsSince());
    const afterFailure = audit(emulator, [{ slugPrefix: "revoked-dyn", state: (await stack.exportStack()) as unknown as Checkpoint }]);
    expect(afterFailure).toEqual(CLEAN);

    emulator.faults.clear();
    await stack.setConfig("causeflow:apiToken", { value: emulator.adminToken, secret: true });
    await stack.up();
    const afterRecovery = audit(emulator, [{ slugPrefix: "revoked-dyn", state: (await stack.exportStack()) as unknown as Checkpoint }]);
    expect(afterRecovery).toEqual(CLEAN);
    expect(emulator.store.all()).toHaveLength(FLEET);
    reportFigures({ scenario: "6 token revoked", host: "dynamic", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(failed).slice(0, 2) });
  }, 300_000);
});
