/**
 * Issue 18, scenario 1: Ctrl-C once during `pulumi up` of a fleet, through the real Pulumi CLI, for
 * the plugin from YAML and the dynamic `causeflow.Tenant`. The CLI cancels: it starts no new step,
 * sends the providers its Cancel, and waits for the steps in flight, so each tenant whose POST was
 * sent is recorded and nothing is pending; the next `pulumi up` creates the rest, each once.
 * During an outage, the plugin's Cancel also stops its retries: the run ends after at most one
 * more attempt per create in flight; the lookups that find what a lost answer created go on, so
 * each such tenant is recorded. (The dynamic provider's host answers Cancel itself, so there a
 * call retries to the end of its budget: docs/reliability.md says so.)
 */
import { spawn } from "node:child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { descendantsOf, descendantsOnceRunning, itOnLinux } from "../support/processes";
import { CliWorkspace, describeWithCli, writesTo } from "../support/cli/workspace";
import { audit, checkpoint, CLEAN, errorsPrinted, expectTheNextUpConverges, fleetSize, reportFigures, theCli, type Checkpoint } from "../support/cli/scenarios";

const FLEET = fleetSize(30);
/** The Ctrl-C comes once this many tenants exist. */
const CANCEL_AFTER = Math.ceil(FLEET / 4);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The engine's parallelism, pinned where a bound depends on it: its default grows with the machine's cores. */
const PARALLEL = 8;
/** The POSTs the emulator received, from the journal's `from`th entry on. */
const posts = (emulator: RunningEmulator, from = 0) => emulator.journal.slice(from).filter((entry) => entry.method === "POST").length;

describeWithCli()("Ctrl-C once during `pulumi up` of a fleet of plugin tenants", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-cancelled-");
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /**
   * Runs `pulumi up` in `project`, sends its CLI one SIGINT once `ready()`, then calls `afterSignal`;
   * what it printed, and the journal's length at the signal.
   */
  async function upWithCtrlC(project: string, ready: () => boolean, afterSignal: () => unknown = () => undefined) {
    const { file, args } = workspace.command(["up", "--yes", "--skip-preview", "--parallel", String(PARALLEL)]);
    const run = spawn(file, args, { cwd: project, env: workspace.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    run.stdout.on("data", (chunk) => (output += chunk));
    run.stderr.on("data", (chunk) => (output += chunk));
    let ended = false;
    const exited = new Promise<number>((resolve) => run.on("exit", (code) => resolve(code ?? -1))).finally(() => (ended = true));
    const tree = await descendantsOnceRunning(run.pid!, /pulumi-resource-causeflow/);
    while (!ready()) {
      if (ended) throw new Error(`the run ended before the moment for Ctrl-C came:\n${output}`);
      await wait(10);
    }
    const journalAtSignal = emulator.journal.length;
    process.kill(theCli(tree), "SIGINT");
    await afterSignal();
    return { code: await exited, printed: output, journalAtSignal };
  }

  itOnLinux("records every tenant whose create was in flight, and the next `pulumi up` creates the rest", async () => {
    emulator.faults.failNext({ method: "POST", latencyMs: 300, count: Number.MAX_SAFE_INTEGER });
    const project = await workspace.fleetProject("cancelled", FLEET, "cancelled", emulator);
    const cancelled = await upWithCtrlC(project, () => emulator.store.all().length >= CANCEL_AFTER);
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.printed).toContain("^C received; cancelling");
    expect(cancelled.printed).toContain("error: update canceled");
    const afterFailure = audit(emulator, [{ slugPrefix: "cancelled", state: await checkpoint(workspace, project) }]);
    expect(afterFailure).toEqual(CLEAN);
    expect(emulator.store.all().length).toBeLessThan(FLEET);

    const afterRecovery = await expectTheNextUpConverges(workspace, project, emulator, "cancelled", FLEET);
    reportFigures({ scenario: "1 Ctrl-C", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(cancelled.printed) });
    emulator.faults.clear();
  }, 600_000);

  itOnLinux("during an outage, stops the retries at once: at most one more attempt per create in flight, and nothing left behind", async () => {
    const project = await workspace.fleetProject("cancelled-outage", FLEET, "outage", emulator);
    emulator.faults.failNext({ method: "POST", status: 503, count: Number.MAX_SAFE_INTEGER });
    const journalBefore = emulator.journal.length;
    // The signal comes once the creates in flight (PARALLEL at most) are retrying.
    const cancelled = await upWithCtrlC(project, () => posts(emulator, journalBefore) >= 2 * PARALLEL);
    expect(cancelled.code).not.toBe(0);
    // At most one attempt per create in flight, whose wait ended as the signal travelled; without Cancel, each tries up to 8 times.
    expect(posts(emulator, cancelled.journalAtSignal)).toBeLessThanOrEqual(PARALLEL);
    expect(cancelled.printed).toContain("not tried again: the run was cancelled");
    const afterFailure = audit(emulator, [{ slugPrefix: "outage", state: await checkpoint(workspace, project) }]);
    expect(afterFailure).toEqual(CLEAN);

    emulator.faults.clear();
    const afterRecovery = await expectTheNextUpConverges(workspace, project, emulator, "outage", FLEET);
    reportFigures({ scenario: "1 Ctrl-C in an outage", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(cancelled.printed).slice(0, 2) });
  }, 600_000);

  itOnLinux("during an outage that loses answers, still records every tenant its POSTs created", async () => {
    const project = await workspace.fleetProject("cancelled-lost", FLEET, "lost", emulator);
    // Every request is processed and its connection dropped: each first POST creates its tenant.
    emulator.faults.failNext({ drop: "after", count: Number.MAX_SAFE_INTEGER });
    const journalBefore = emulator.journal.length;
    const outageEnds = () => wait(3_000).then(() => emulator.faults.clear());
    const cancelled = await upWithCtrlC(project, () => posts(emulator, journalBefore) >= 2 * PARALLEL, outageEnds);
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.printed).toContain("error: update canceled");
    // The lookups that find what the lost answers created outlast the Ctrl-C, so each is recorded.
    const afterFailure = audit(emulator, [{ slugPrefix: "lost", state: await checkpoint(workspace, project) }]);
    expect(afterFailure).toEqual(CLEAN);
    expect(emulator.store.all().filter((tenant) => tenant.slug.startsWith("lost-")).length).toBeGreaterThan(0);

    const afterRecovery = await expectTheNextUpConverges(workspace, project, emulator, "lost", FLEET);
    reportFigures({ scenario: "1 Ctrl-C in an outage losing answers", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(cancelled.printed).slice(0, 2) });
  }, 600_000);
});

describeWithCli()("Ctrl-C once during `pulumi up` of a fleet of dynamic tenants", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", latencyMs: 300, count: Number.MAX_SAFE_INTEGER }] });
    workspace = new CliWorkspace("cf-cli-cancelled-dynamic-");
    stack = await workspace.inlineStack("cancelled-dynamic", "dev", async () => {
      for (let i = 0; i < FLEET; i++) new causeflow.Tenant(`t${i}`, { name: `Fleet ${i}`, slug: `dyn-${i}`, ownerEmail: "o@fleet.example" });
    }, emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  itOnLinux("records every tenant whose create was in flight, and the next `pulumi up` creates the rest", async () => {
    const cancelledRun = stack.up({ parallel: PARALLEL }).then(() => "succeeded", (error: Error) => error.message);
    while (emulator.store.all().length < CANCEL_AFTER) await wait(10);
    process.kill(theCli(descendantsOf(process.pid)), "SIGINT");
    const cancelled = await cancelledRun;
    expect(cancelled).toContain("update canceled");
    const state = (await stack.exportStack()) as unknown as Checkpoint;
    const afterFailure = audit(emulator, [{ slugPrefix: "dyn", state }]);
    expect(afterFailure).toEqual(CLEAN);
    expect(emulator.store.all().length).toBeLessThan(FLEET);

    const writesBefore = writesTo(emulator).length;
    const createdBefore = emulator.store.all().length;
    await stack.up();
    const afterRecovery = audit(emulator, [{ slugPrefix: "dyn", state: (await stack.exportStack()) as unknown as Checkpoint }]);
    expect(afterRecovery).toEqual(CLEAN);
    expect(emulator.store.all()).toHaveLength(FLEET);
    // One POST for each tenant the cancelled run did not create, and nothing else.
    expect(writesTo(emulator).slice(writesBefore).map((write) => write.method)).toEqual(Array(FLEET - createdBefore).fill("POST"));
    reportFigures({ scenario: "1 Ctrl-C", host: "dynamic", fleet: FLEET, afterFailure, afterRecovery, messages: errorsPrinted(cancelled) });
  }, 600_000);
});
