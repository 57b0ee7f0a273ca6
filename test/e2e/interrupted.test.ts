/**
 * Issue 18, scenarios 2 and 3: the Pulumi CLI killed (SIGKILL), or the provider's process killed,
 * during `pulumi up` of a fleet, through the plugin from YAML and through the dynamic
 * `causeflow.Tenant` of a TypeScript program. At CI's size CauseFlow commits each POST at once and
 * answers late (the emulator's `slowAnswerMs`), so the kill lands when every tenant exists in
 * CauseFlow and none in the stack: the worst a kill can leave. At full size (`npm run scenarios`)
 * CauseFlow answers in 50 ms and the kill comes halfway, as a lost runner's would, which measures
 * how many tenants a kill leaves unrecorded. The way back is the one the README documents, each
 * command as a user would type or copy it: `pulumi cancel` (after the CLI's kill: its lock),
 * `pulumi up --continue-on-error` (which names each tenant and the command that records it), those
 * commands, `pulumi refresh --clear-pending-creates`, `pulumi up`. At the end every tenant in
 * CauseFlow is in the stack once, no slug twice, and nothing is pending.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { PLUGIN_TENANT_TYPE } from "../../provider/core/tenantRules";
import { commandOf, descendantsOf, descendantsOnceRunning, itOnLinux, survivorsAfter } from "../support/processes";
import { CliWorkspace, describeWithCli, printed, writesTo } from "../support/cli/workspace";
import { audit, checkpoint, CLEAN, errorsPrinted, FULL_SIZE, fleetSize, recordedTenants, reportFigures, theCli, type Checkpoint } from "../support/cli/scenarios";

const FLEET = fleetSize(6);
/** How CauseFlow answers POSTs, and how many tenants it holds when the kill comes. */
const POSTS = FULL_SIZE ? { method: "POST", latencyMs: 50, count: Number.MAX_SAFE_INTEGER } : { method: "POST", slowAnswerMs: 120_000 };
const KILL_AT = FULL_SIZE ? Math.ceil(FLEET / 2) : FLEET;
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
};
/** A provider's process: the plugin, or the host of dynamic providers. */
const PROVIDER = { plugin: /pulumi-resource-causeflow/, dynamic: /dynamic-provider/ };

/** The tenants in CauseFlow that a checkpoint does not record. */
const unrecordedIn = (emulator: RunningEmulator, state: Checkpoint) => {
  const recorded = recordedTenants(state).map((tenant) => tenant.id);
  return emulator.store.all().filter((tenant) => !recorded.includes(tenant.tenantId));
};

/**
 * Steps 2 to 4 of the README's way back, for a YAML fleet some of whose tenants exist in CauseFlow
 * and not in the stack: `pulumi up --continue-on-error` creates the others, and names each of those
 * with the command that records it; those commands; `pulumi refresh --clear-pending-creates`;
 * `pulumi up`, with nothing left to write. Then every tenant in CauseFlow is in the stack once,
 * under its own resource, and nothing is pending. What the user read on the way.
 */
async function expectTheWayBack(workspace: CliWorkspace, project: string, emulator: RunningEmulator): Promise<string[]> {
  const orphans = unrecordedIn(emulator, await checkpoint(workspace, project));
  // --continue-on-error: without it the engine starts no step after the first failure, and a tenant
  // the program registers later is named only by a later run.
  const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--continue-on-error"]);
  expect(up.code === 0).toBe(orphans.length === 0);
  const commands = [...new Set([...printed(up).matchAll(/run `(pulumi import [^`]+)`/g)].map(([, command]) => command))];
  expect(commands).toHaveLength(orphans.length);
  for (const tenant of orphans) {
    expect(printed(up)).toContain(`by tenant ${tenant.tenantId} ("${tenant.name}", plan ${tenant.plan}, created ${tenant.createdAt})`);
  }
  expect(emulator.store.all()).toHaveLength(FLEET);

  for (const command of commands) await workspace.pulumi(project, ...command.split(" ").slice(1));
  await workspace.pulumi(project, "refresh", "--yes", "--clear-pending-creates");
  const writesBefore = writesTo(emulator).length;
  const converged = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
  expect(writesTo(emulator).slice(writesBefore)).toEqual([]);
  expect(converged.code).toBe(0);
  expect(printed(converged)).not.toContain("pending operations");

  const recovered = await checkpoint(workspace, project);
  expect(audit(emulator, [{ slugPrefix: "fleet", state: recovered }])).toEqual(CLEAN);
  const tenants = recovered.deployment.resources.filter((resource) => resource.type === PLUGIN_TENANT_TYPE);
  expect(tenants.map((resource) => path.basename(resource.urn.replace(/::/g, "/"))).sort()).toEqual(Array.from({ length: FLEET }, (_, i) => `t${i}`).sort());
  return errorsPrinted(printed(up)).slice(0, 3);
}

describeWithCli()("a `pulumi up` of plugin tenants killed, and the way back", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;

  beforeEach(async () => {
    emulator = await startEmulator({ faults: [POSTS] });
    workspace = new CliWorkspace("cf-cli-interrupted-");
    project = await workspace.fleetProject("interrupted", FLEET, "fleet", emulator);
  }, 120_000);
  afterEach(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /** Starts `pulumi up`; the process tree below it once KILL_AT tenants exist in CauseFlow, and its end. */
  async function upUntilTheKill() {
    const { file, args } = workspace.command(["up", "--yes", "--skip-preview"]);
    const run = spawn(file, args, { cwd: project, env: workspace.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    run.stdout.on("data", (chunk) => (output += chunk));
    run.stderr.on("data", (chunk) => (output += chunk));
    const ended = new Promise<string>((resolve) => run.on("exit", () => resolve(output)));
    await until(() => emulator.store.all().length >= KILL_AT);
    return { tree: await descendantsOnceRunning(run.pid!, PROVIDER.plugin), ended };
  }

  itOnLinux("the CLI killed: records every tenant the killed run created, once, by the documented commands", async () => {
    const { tree } = await upUntilTheKill();
    // Kill the CLI (lifeline, above it, then ends the rest).
    process.kill(theCli(tree), "SIGKILL");
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    emulator.faults.clear();

    const killed = await checkpoint(workspace, project);
    if (!FULL_SIZE) {
      expect(recordedTenants(killed)).toEqual([]);
      expect(killed.deployment.pending_operations?.map((op) => op.type)).toEqual(Array(FLEET).fill("creating"));
    }
    const afterFailure = audit(emulator, [{ slugPrefix: "fleet", state: killed }]);
    expect({ ...afterFailure, unrecorded: 0, pending: 0 }).toEqual(CLEAN);

    // 1. The killed run's lock.
    const locked = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
    expect(locked.code).not.toBe(0);
    expect(printed(locked)).toContain("pulumi cancel");
    await workspace.pulumi(project, "cancel", "--yes");

    const messages = await expectTheWayBack(workspace, project, emulator);
    const afterRecovery = audit(emulator, [{ slugPrefix: "fleet", state: await checkpoint(workspace, project) }]);
    reportFigures({ scenario: "2 CLI killed", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: [...errorsPrinted(printed(locked)), ...messages] });
  }, 600_000);

  itOnLinux("the plugin killed: the CLI reports it, and the same way back records every tenant once", async () => {
    const { tree, ended } = await upUntilTheKill();
    const plugins = tree.filter((pid) => PROVIDER.plugin.test(commandOf(pid)));
    for (const pid of plugins) process.kill(pid, "SIGKILL");
    const killedRun = await ended;
    expect(killedRun).toContain("error: ");
    emulator.faults.clear();

    const killed = await checkpoint(workspace, project);
    if (!FULL_SIZE) expect(recordedTenants(killed)).toEqual([]);
    const afterFailure = audit(emulator, [{ slugPrefix: "fleet", state: killed }]);
    expect({ ...afterFailure, unrecorded: 0, pending: 0 }).toEqual(CLEAN);
    if (!FULL_SIZE) expect(afterFailure.unrecorded).toBe(FLEET);

    const messages = await expectTheWayBack(workspace, project, emulator);
    const afterRecovery = audit(emulator, [{ slugPrefix: "fleet", state: await checkpoint(workspace, project) }]);
    reportFigures({ scenario: "3 provider killed", host: "plugin", fleet: FLEET, afterFailure, afterRecovery, messages: [...errorsPrinted(killedRun).slice(0, 2), ...messages] });
  }, 600_000);
});

describeWithCli()("a `pulumi up` of dynamic tenants killed, and the way back", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  /** Whether the program's tenants set adoptExisting: the way back turns it on for one `pulumi up`. */
  let adoptExisting = false;
  /** What a run that failed printed (the Automation API's error quotes its output, escaping quotes), or "succeeded". */
  const failure = (run: Promise<unknown>) => run.then(() => "succeeded", (error: Error) => error.message.replace(/\\"/g, '"'));
  const state = async () => (await stack.exportStack()) as unknown as Checkpoint;

  beforeEach(async () => {
    emulator = await startEmulator({ faults: [POSTS] });
    workspace = new CliWorkspace("cf-cli-interrupted-dynamic-");
    adoptExisting = false;
    stack = await workspace.inlineStack("interrupted-dynamic", "dev", async () => {
      for (let i = 0; i < FLEET; i++) new causeflow.Tenant(`t${i}`, { name: `Fleet ${i}`, slug: `fleet-${i}`, ownerEmail: "o@fleet.example", adoptExisting });
    }, emulator);
  }, 120_000);
  afterEach(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /**
   * The README's way back for dynamic tenants: `pulumi up --continue-on-error` names each one and
   * points at adoptExisting; adoption for one `pulumi up` takes each (its POST meets the slug taken
   * and takes the tenant that matches: no PATCH, no new tenant); then refresh and `pulumi up`.
   */
  async function expectTheWayBack(): Promise<string[]> {
    const orphans = unrecordedIn(emulator, await state());
    const refused = await failure(stack.up({ continueOnError: true }));
    expect(refused === "succeeded").toBe(orphans.length === 0);
    for (const tenant of orphans) {
      expect(refused).toContain(`by tenant ${tenant.tenantId} ("${tenant.name}", plan ${tenant.plan}, created ${tenant.createdAt})`);
    }
    if (orphans.length > 0) expect(refused).toContain("set `adoptExisting: true` on this Tenant for one `pulumi up`");
    expect(emulator.store.all()).toHaveLength(FLEET);

    adoptExisting = true;
    const writesBefore = writesTo(emulator).length;
    await stack.up();
    await stack.refresh({ clearPendingCreates: true });
    adoptExisting = false;
    const converged = await stack.up();
    expect(writesTo(emulator).slice(writesBefore).map((write) => write.method)).toEqual(Array(orphans.length).fill("POST"));
    expect(emulator.store.all()).toHaveLength(FLEET);
    expect(converged.stdout).not.toContain("pending operations");
    expect(audit(emulator, [{ slugPrefix: "fleet", state: await state() }])).toEqual(CLEAN);
    return errorsPrinted(refused).slice(0, 3);
  }

  itOnLinux("the CLI killed: records every tenant the killed run created, once, with adoptExisting for one `pulumi up`", async () => {
    const killedRun = failure(stack.up());
    await until(() => emulator.store.all().length >= KILL_AT);
    const tree = descendantsOf(process.pid);
    process.kill(theCli(tree), "SIGKILL");
    expect(await killedRun).not.toBe("succeeded");
    expect(await survivorsAfter(tree.filter((pid) => /pulumi|dynamic-provider|lifeline/.test(commandOf(pid))), 10_000)).toEqual([]);
    emulator.faults.clear();
    const afterFailure = audit(emulator, [{ slugPrefix: "fleet", state: await state() }]);
    expect({ ...afterFailure, unrecorded: 0, pending: 0 }).toEqual(CLEAN);

    const locked = await failure(stack.up());
    expect(locked).toContain("pulumi cancel");
    await stack.cancel();
    const messages = await expectTheWayBack();
    const afterRecovery = audit(emulator, [{ slugPrefix: "fleet", state: await state() }]);
    reportFigures({ scenario: "2 CLI killed", host: "dynamic", fleet: FLEET, afterFailure, afterRecovery, messages });
  }, 600_000);

  itOnLinux("the provider's host killed: the CLI reports it, and the same way back records every tenant once", async () => {
    const killedRun = failure(stack.up());
    await until(() => emulator.store.all().length >= KILL_AT);
    for (const pid of descendantsOf(process.pid).filter((pid) => PROVIDER.dynamic.test(commandOf(pid)))) process.kill(pid, "SIGKILL");
    const killed = await killedRun;
    expect(killed).not.toBe("succeeded");
    emulator.faults.clear();
    const afterFailure = audit(emulator, [{ slugPrefix: "fleet", state: await state() }]);
    expect({ ...afterFailure, unrecorded: 0, pending: 0 }).toEqual(CLEAN);
    if (!FULL_SIZE) expect(afterFailure.unrecorded).toBe(FLEET);

    const messages = await expectTheWayBack();
    const afterRecovery = audit(emulator, [{ slugPrefix: "fleet", state: await state() }]);
    reportFigures({ scenario: "3 provider killed", host: "dynamic", fleet: FLEET, afterFailure, afterRecovery, messages: [...errorsPrinted(killed).slice(0, 2), ...messages] });
  }, 600_000);
});
