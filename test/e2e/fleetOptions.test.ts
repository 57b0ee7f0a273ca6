/**
 * Issue 18, scenario 7: `--parallel 64`, `--refresh`, `--continue-on-error` and `--target` on a
 * fleet of plugin tenants, through the real Pulumi CLI, with the API's rate limit set below the
 * fleet's size so that it bites: no failure a retry would have absorbed, and each option does what
 * Pulumi documents. The tests run in order, on one stack.
 */
import { CauseFlowClient } from "../../provider/client/client";
import { PLUGIN_TENANT_TYPE } from "../../provider/core/tenantRules";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, fleetResources, printed, tenantMadeByHand, writesTo } from "../support/cli/workspace";
import { audit, checkpoint, CLEAN, errorsPrinted, fleetSize, recordedTenants, reportFigures } from "../support/cli/scenarios";

const FLEET = fleetSize(100);
/** Requests a minute: fewer than the fleet, so that creating it, and refreshing it, meet the limit (useUpTheWindowBut makes sure). */
const RATE_LIMIT = Math.ceil(FLEET * 0.8);
const PROJECT = "options";

describeWithCli()("a fleet's `pulumi up` options under the API's rate limit", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;
  const urn = (name: string) => `urn:pulumi:dev::${PROJECT}::${PLUGIN_TENANT_TYPE}::${name}`;
  const tenant = (slug: string) => emulator.store.all().find((held) => held.slug === slug);
  const rateLimited = () => emulator.stats.answers["429"] ?? 0;

  /**
   * Leaves `left` requests in the API's current minute (fixed windows: one that the operation's
   * requests straddle may never fill), so that the operation that follows meets the limit at once.
   * Waits for the next minute when less than 15 s of this one remain.
   */
  async function useUpTheWindowBut(left: number): Promise<void> {
    if (new Date().getSeconds() > 45) await new Promise((resolve) => setTimeout(resolve, (61 - new Date().getSeconds()) * 1000));
    const ask = () => fetch(`${emulator.url}/v1/tenants?limit=1`, { headers: { authorization: `Bearer ${emulator.adminToken}` } });
    const remaining = Number((await ask()).headers.get("x-ratelimit-remaining"));
    for (let i = 0; i < remaining - left; i++) await ask();
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: RATE_LIMIT });
    workspace = new CliWorkspace("cf-cli-options-");
    project = await workspace.fleetProject(PROJECT, FLEET, "opts", emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("--parallel 64 creates the fleet: every 429 absorbed, no failure, each tenant once", async () => {
    await useUpTheWindowBut(10);
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--parallel", "64"]);
    expect(errorsPrinted(printed(up))).toEqual([]);
    expect(up.code).toBe(0);
    expect(rateLimited()).toBeGreaterThan(0);
    const state = audit(emulator, [{ slugPrefix: "opts", state: await checkpoint(workspace, project) }]);
    expect(state).toEqual(CLEAN);
    expect(emulator.store.all()).toHaveLength(FLEET);
    reportFigures({ scenario: `7 --parallel 64 (${rateLimited()} answers 429)`, host: "plugin", fleet: FLEET, afterFailure: state, afterRecovery: state, messages: [] });
  }, 600_000);

  it("--refresh reads every tenant first, and puts back the one renamed outside Pulumi", async () => {
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    await client.updateTenant(tenant("opts-3")!.tenantId, { name: "Renamed by hand" }).finally(() => client.close());
    const readsBefore = emulator.journal.length;
    const limitedBefore = rateLimited();
    const writesBefore = writesTo(emulator).length;
    await useUpTheWindowBut(10);
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--refresh", "--parallel", "64"]);
    expect(errorsPrinted(printed(up))).toEqual([]);
    expect(up.code).toBe(0);
    const reads = emulator.journal.slice(readsBefore).filter((entry) => entry.method === "GET" && /^\/v1\/tenants\/ten_/.test(entry.path));
    expect(new Set(reads.map((entry) => entry.path)).size).toBe(FLEET);
    expect(rateLimited()).toBeGreaterThan(limitedBefore);
    expect(writesTo(emulator).slice(writesBefore)).toEqual([{ method: "PATCH", path: `/v1/tenants/${tenant("opts-3")!.tenantId}`, body: { name: "Fleet 3" } }]);
    expect(tenant("opts-3")!.name).toBe("Fleet 3");
  }, 600_000);

  it("--continue-on-error creates every tenant it can when one fails, and names the one that failed", async () => {
    const handMade = await tenantMadeByHand(emulator, "opts-taken");
    const extras = ["opts-new-0", "opts-taken", "opts-new-1"]
      .map((slug, i) => `  extra${i}:\n    type: ${PLUGIN_TENANT_TYPE}\n    properties:\n      name: Extra ${i}\n      slug: ${slug}\n      ownerEmail: o@fleet.example\n`)
      .join("");
    workspace.yamlProject(PROJECT, fleetResources(FLEET, "opts") + extras);
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(up.code).not.toBe(0);
    expect(errorsPrinted(printed(up)).filter((line) => line.includes("already taken"))).toHaveLength(1);
    expect(printed(up)).toContain(`The slug "opts-taken" is already taken, by tenant ${handMade}`);
    const recorded = recordedTenants(await checkpoint(workspace, project)).map((held) => held.id);
    expect(recorded).toEqual(expect.arrayContaining([tenant("opts-new-0")!.tenantId, tenant("opts-new-1")!.tenantId]));
    expect(recorded).not.toContain(handMade);
    expect(recorded).toHaveLength(FLEET + 2);
    expect(tenant("opts-taken")!.name).toBe("Legacy Inc");
    workspace.yamlProject(PROJECT, fleetResources(FLEET, "opts"));
  }, 600_000);

  it("--target changes the targeted tenant only; the rest wait for the next `pulumi up`", async () => {
    workspace.yamlProject(PROJECT, fleetResources(FLEET, "opts", (i) => `Fleet ${i} renamed`));
    const writesBefore = writesTo(emulator).length;
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--target", urn("t5")]);
    expect(up.code).toBe(0);
    expect(writesTo(emulator).slice(writesBefore)).toEqual([{ method: "PATCH", path: `/v1/tenants/${tenant("opts-5")!.tenantId}`, body: { name: "Fleet 5 renamed" } }]);
    expect(emulator.store.all().filter((held) => held.name.endsWith(" renamed")).map((held) => held.slug)).toEqual(["opts-5"]);
    const preview = await workspace.run(project, ["preview"]);
    expect(printed(preview)).toContain(`${FLEET - 1} to update`);
  }, 600_000);
});
