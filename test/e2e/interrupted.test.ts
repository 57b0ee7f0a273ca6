/**
 * Issue 18, scenario 2: the Pulumi CLI killed (SIGKILL) during `pulumi up` of a fleet, through the
 * plugin from YAML, and through the dynamic `causeflow.Tenant` of a TypeScript program. CauseFlow
 * commits each POST at once and answers late (the emulator's `slowAnswerMs`), so the kill lands
 * when every tenant exists in CauseFlow and the checkpoint holds only pending creates: the worst a
 * kill can leave. The way back is the one the README documents, each command as a user would type
 * or copy it: `pulumi cancel`, `pulumi up --continue-on-error` (which names each tenant and the
 * command that records it), those commands, `pulumi refresh --clear-pending-creates`, `pulumi up`.
 * At the end every tenant in CauseFlow is in the stack once, no slug twice, and nothing is pending.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { commandOf, descendantsOf, descendantsOnceRunning, itOnLinux, survivorsAfter } from "../support/processes";
import { CliWorkspace, describeWithCli, printed, writesTo } from "../support/cli/workspace";

const FLEET = 6;
const TENANT = "causeflow:index:Tenant";

/** The `pulumi up` process among these (not lifeline, whose command line holds it too). */
function theCli(pids: number[]): number {
  const cli = pids.find((pid) => {
    const [executable, verb] = commandOf(pid).split(" ");
    return path.basename(executable) === "pulumi" && verb === "up";
  });
  if (cli === undefined) throw new Error(`no \`pulumi up\` among ${pids.map(commandOf).join("; ")}`);
  return cli;
}

interface Checkpoint {
  deployment: { resources: { urn: string; type: string; id?: string }[]; pending_operations?: { type: string; resource: { urn: string } }[] };
}

/** The stack's checkpoint, as `pulumi stack export` gives it. */
async function checkpoint(workspace: CliWorkspace, project: string): Promise<Checkpoint> {
  return JSON.parse((await workspace.pulumi(project, "stack", "export")).stdout) as Checkpoint;
}

/**
 * Steps 2 to 4 of the README's way back, for a YAML fleet whose tenants all exist in CauseFlow and
 * none in the stack: `pulumi up --continue-on-error` names each tenant and the command that records
 * it; those commands; `pulumi refresh --clear-pending-creates`; `pulumi up`, with nothing left to
 * write. Then every tenant in CauseFlow is in the stack once, under its own resource, and nothing
 * is pending.
 */
async function expectTheWayBack(workspace: CliWorkspace, project: string, emulator: RunningEmulator): Promise<void> {
  // --continue-on-error: without it the engine starts no step after the first failure, and a tenant
  // the program registers later is named only by a later run.
  const up = await workspace.run(project, ["up", "--yes", "--skip-preview", "--continue-on-error"]);
  expect(up.code).not.toBe(0);
  const commands = [...new Set([...printed(up).matchAll(/run `(pulumi import [^`]+)`/g)].map(([, command]) => command))];
  expect(commands).toHaveLength(FLEET);
  for (const tenant of emulator.store.all()) {
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
  const recorded = recovered.deployment.resources.filter((resource) => resource.type === TENANT);
  expect(recorded.map((resource) => resource.id).sort()).toEqual(emulator.store.all().map((tenant) => tenant.tenantId).sort());
  expect(new Set(emulator.store.all().map((tenant) => tenant.slug)).size).toBe(FLEET);
  expect(recovered.deployment.pending_operations ?? []).toEqual([]);
  expect(recorded.map((resource) => path.basename(resource.urn.replace(/::/g, "/"))).sort()).toEqual(Array.from({ length: FLEET }, (_, i) => `t${i}`).sort());
}

describeWithCli()("the Pulumi CLI killed during `pulumi up`, and the way back", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", slowAnswerMs: 120_000 }] });
    workspace = new CliWorkspace("cf-cli-interrupted-");
    project = await workspace.fleetProject("interrupted", FLEET, "fleet", emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  itOnLinux("records every tenant the killed run created, once, by the documented commands", async () => {
    const { file, args } = workspace.command(["up", "--yes", "--skip-preview"]);
    const run = spawn(file, args, { cwd: project, env: workspace.env, stdio: "ignore" });
    while (emulator.store.all().length < FLEET) await new Promise((resolve) => setTimeout(resolve, 50));
    // Every POST is committed and unanswered: kill the CLI (lifeline, above it, then ends the rest).
    const tree = await descendantsOnceRunning(run.pid!, /pulumi-resource-causeflow/);
    process.kill(theCli(tree), "SIGKILL");
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    emulator.faults.clear();

    const killed = await checkpoint(workspace, project);
    expect(killed.deployment.resources.filter((resource) => resource.type === TENANT)).toEqual([]);
    expect(killed.deployment.pending_operations?.map((op) => op.type)).toEqual(Array(FLEET).fill("creating"));

    // 1. The killed run's lock.
    const locked = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
    expect(locked.code).not.toBe(0);
    expect(printed(locked)).toContain("pulumi cancel");
    await workspace.pulumi(project, "cancel", "--yes");

    await expectTheWayBack(workspace, project, emulator);
  }, 600_000);
});

describeWithCli()("the Pulumi CLI killed during `pulumi up` of dynamic tenants, and the way back", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  /** Whether the program's tenants set adoptExisting: the way back turns it on for one `pulumi up`. */
  let adoptExisting = false;
  /** What a run that failed printed (the Automation API's error quotes its output, escaping quotes), or "succeeded". */
  const failure = (run: Promise<unknown>) => run.then(() => "succeeded", (error: Error) => error.message.replace(/\\"/g, '"'));

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", slowAnswerMs: 120_000 }] });
    workspace = new CliWorkspace("cf-cli-interrupted-dynamic-");
    stack = await workspace.inlineStack("interrupted-dynamic", "dev", async () => {
      for (let i = 0; i < FLEET; i++) new causeflow.Tenant(`t${i}`, { name: `Fleet ${i}`, slug: `dyn-${i}`, ownerEmail: "o@fleet.example", adoptExisting });
    }, emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  itOnLinux("records every tenant the killed run created, once, with adoptExisting for one `pulumi up`", async () => {
    const killedRun = failure(stack.up());
    while (emulator.store.all().length < FLEET) await new Promise((resolve) => setTimeout(resolve, 50));
    const tree = descendantsOf(process.pid);
    process.kill(theCli(tree), "SIGKILL");
    expect(await killedRun).not.toBe("succeeded");
    expect(await survivorsAfter(tree.filter((pid) => /pulumi|dynamic-provider|lifeline/.test(commandOf(pid))), 10_000)).toEqual([]);
    emulator.faults.clear();

    expect(await failure(stack.up())).toContain("pulumi cancel");
    await stack.cancel();
    const refused = await failure(stack.up({ continueOnError: true }));
    for (const tenant of emulator.store.all()) {
      expect(refused).toContain(`by tenant ${tenant.tenantId} ("${tenant.name}", plan ${tenant.plan}, created ${tenant.createdAt})`);
    }
    expect(refused).toContain("set `adoptExisting: true` on this Tenant for one `pulumi up`");
    expect(emulator.store.all()).toHaveLength(FLEET);

    // Adoption sends its POST, meets the slug taken, and takes the tenant that matches: no PATCH, no new tenant.
    adoptExisting = true;
    const writesBefore = writesTo(emulator).length;
    await stack.up();
    await stack.refresh({ clearPendingCreates: true });
    adoptExisting = false;
    const converged = await stack.up();
    expect(writesTo(emulator).slice(writesBefore).map((write) => write.method)).toEqual(Array(FLEET).fill("POST"));
    expect(emulator.store.all()).toHaveLength(FLEET);
    expect(converged.stdout).not.toContain("pending operations");

    const recorded = ((await stack.exportStack()).deployment as Checkpoint["deployment"]).resources.filter((resource) => resource.type.endsWith(":Tenant"));
    expect(recorded.map((resource) => resource.id).sort()).toEqual(emulator.store.all().map((tenant) => tenant.tenantId).sort());
    expect(new Set(emulator.store.all().map((tenant) => tenant.slug)).size).toBe(FLEET);
    expect(((await stack.exportStack()).deployment as Checkpoint["deployment"]).pending_operations ?? []).toEqual([]);
  }, 600_000);
});
