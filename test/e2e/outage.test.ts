/**
 * Issue 18, scenario 5: the API down for 20 seconds in the middle of a fleet's `pulumi up`, through
 * the real Pulumi CLI: ten seconds of 503 for every request, then ten of connections dropped after
 * the request was processed (the harshest: a POST's tenant exists, its answer lost). With the
 * default retry budget the run rides it out, for the plugin and the dynamic `causeflow.Tenant`:
 * every tenant created once and recorded. With a budget too short for it, the run fails naming
 * each failing tenant, every tenant created so far is recorded, and the next run converges.
 */
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, printed, writesTo } from "../support/cli/workspace";
import { audit, checkpoint, CLEAN, errorsPrinted, expectTheNextUpConverges, fleetSize, reportFigures, type Checkpoint } from "../support/cli/scenarios";

const FLEET = fleetSize(40);
const OUTAGE_AFTER = Math.ceil(FLEET / 4);
const PHASE_MS = 10_000;
/** CauseFlow's answers, slowed a little, so that the outage finds creates in flight. */
const LATENCY = { method: "POST", latencyMs: 50, count: Number.MAX_SAFE_INTEGER };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Once OUTAGE_AFTER tenants exist: 503 for every request, then every connection dropped after processing, then service again. */
async function outageMidFleet(emulator: RunningEmulator, phases: ("503" | "drop")[] = ["503", "drop"]): Promise<void> {
  while (emulator.store.all().length < OUTAGE_AFTER) await sleep(10);
  for (const phase of phases) {
    emulator.faults.clear();
    emulator.faults.failNext(LATENCY);
    emulator.faults.failNext(phase === "503" ? { status: 503, count: Number.MAX_SAFE_INTEGER } : { drop: "after", count: Number.MAX_SAFE_INTEGER });
    await sleep(PHASE_MS);
  }
  emulator.faults.clear();
  emulator.faults.failNext(LATENCY);
}

describeWithCli()("an API outage of 20 seconds during a fleet's `pulumi up` of plugin tenants", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;

  beforeEach(async () => {
    emulator = await startEmulator({ faults: [LATENCY] });
    workspace = new CliWorkspace("cf-cli-outage-");
  }, 120_000);
  afterEach(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("rides it out with the default retry budget: every tenant created once, recorded, nothing pending", async () => {
    const project = await workspace.fleetProject("outage", FLEET, "outage", emulator);
    const [up] = await Promise.all([workspace.run(project, ["up", "--yes", "--skip-preview"]), outageMidFleet(emulator)]);
    expect(errorsPrinted(printed(up))).toEqual([]);
    expect(up.code).toBe(0);
    const afterFailure = audit(emulator, [{ slugPrefix: "outage", state: await checkpoint(workspace, project) }]);
    expect(afterFailure).toEqual(CLEAN);
    expect(emulator.store.all()).toHaveLength(FLEET);

    const writesBefore = writesTo(emulator).length;
    expect((await workspace.run(project, ["up", "--yes", "--skip-preview"])).code).toBe(0);
    expect(writesTo(emulator).slice(writesBefore)).toEqual([]);
    reportFigures({ scenario: "5 outage, default budget", host: "plugin", fleet: FLEET, afterFailure, afterRecovery: afterFailure, messages: [] });
  }, 600_000);

  it("with a budget too short for it, fails naming each failing tenant, records every tenant created, and converges next time", async () => {
    const project = await workspace.fleetProject("outage-short", FLEET, "outage", emulator);
    await workspace.pulumi(project, "config", "set", "causeflow:maxAttempts", "2");
    const outage = outageMidFleet(emulator, ["503", "503"]);
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(up.code).not.toBe(0);
    const failed = [...printed(up).matchAll(/Could not create CauseFlow tenant "(outage-\d+)": HTTP 503/g)].map(([, slug]) => slug);
    expect(failed.length).toBeGreaterThan(0);
    const afterFailure = audit(emulator, [{ slugPrefix: "outage", state: await checkpoint(workspace, project) }]);
    expect(afterFailure).toEqual(CLEAN);
    for (const slug of failed) expect(emulator.store.all().map((tenant) => tenant.slug)).not.toContain(slug);

    await outage;
    const afterRecovery = await expectTheNextUpConverges(workspace, project, emulator, "outage", FLEET);
    reportFigures({ scenario: "5 outage, maxAttempts 2", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(printed(up)).slice(0, 2) });
  }, 600_000);
});

describeWithCli()("an API outage of 20 seconds during a fleet's `pulumi up` of dynamic tenants", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [LATENCY] });
    workspace = new CliWorkspace("cf-cli-outage-dynamic-");
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("rides it out with the default retry budget: every tenant created once, recorded, nothing pending", async () => {
    const stack = await workspace.inlineStack("outage-dynamic", "dev", async () => {
      for (let i = 0; i < FLEET; i++) new causeflow.Tenant(`t${i}`, { name: `Fleet ${i}`, slug: `outage-${i}`, ownerEmail: "o@fleet.example" });
    }, emulator);
    await Promise.all([stack.up(), outageMidFleet(emulator)]);
    const afterFailure = audit(emulator, [{ slugPrefix: "outage", state: (await stack.exportStack()) as unknown as Checkpoint }]);
    expect(afterFailure).toEqual(CLEAN);
    expect(emulator.store.all()).toHaveLength(FLEET);
    reportFigures({ scenario: "5 outage, default budget", host: "dynamic", fleet: FLEET, afterFailure, afterRecovery: afterFailure, messages: [] });
  }, 600_000);
});
