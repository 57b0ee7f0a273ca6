/**
 * Issue 18, scenario 2: the Pulumi CLI killed (SIGKILL) during `pulumi up` of a fleet, through the
 * plugin from YAML. CauseFlow commits each POST at once and answers late (the emulator's
 * `slowAnswerMs`), so the kill lands when every tenant exists in CauseFlow and the checkpoint holds
 * only pending creates: the worst a kill can leave. The way back is the one the README documents,
 * each command as a user would type or copy it: `pulumi cancel`, `pulumi up` (which names each
 * tenant and the command that records it), those commands, `pulumi up`. At the end every tenant in
 * CauseFlow is in the stack once, no slug twice, and nothing is pending.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { commandOf, descendantsOnceRunning, itOnLinux, survivorsAfter } from "../support/processes";
import { CliWorkspace, describeWithCli, printed } from "../support/cli/workspace";

const FLEET = 6;
const TENANT = "causeflow:index:Tenant";

interface Checkpoint {
  deployment: { resources: { urn: string; type: string; id?: string }[]; pending_operations?: { type: string; resource: { urn: string } }[] };
}

describeWithCli()("the Pulumi CLI killed during `pulumi up`, and the way back", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;
  const checkpoint = async () => JSON.parse((await workspace.pulumi(project, "stack", "export")).stdout) as Checkpoint;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", slowAnswerMs: 120_000 }] });
    workspace = new CliWorkspace("cf-cli-scratch-");
    const tenants = Array.from({ length: FLEET }, (_, i) => `  t${i}:\n    type: ${TENANT}\n    properties:\n      name: Fleet ${i}\n      slug: fleet-${i}\n      ownerEmail: o@fleet.example\n`);
    project = workspace.yamlProject("interrupted", `resources:\n${tenants.join("")}`);
    await workspace.initStack(project, "dev", emulator);
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
    const cli = tree.find((pid) => /(^|\/)pulumi up /.test(commandOf(pid)))!;
    process.kill(cli, "SIGKILL");
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    emulator.faults.clear();

    const killed = await checkpoint();
    expect(killed.deployment.resources.filter((resource) => resource.type === TENANT)).toEqual([]);
    expect(killed.deployment.pending_operations?.map((op) => op.type)).toEqual(Array(FLEET).fill("creating"));

    // 1. The killed run's lock.
    const locked = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
    expect(locked.code).not.toBe(0);
    expect(printed(locked)).toContain("pulumi cancel");
    await workspace.pulumi(project, "cancel", "--yes");

    // 2. `pulumi up` names each tenant the killed run left, and the command that records it.
    const up = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    const commands = [...new Set([...printed(up).matchAll(/`(pulumi refresh --yes --import-pending-creates '[^']+' --import-pending-creates ten_\w+)`/g)].map(([, command]) => command))];
    expect(commands).toHaveLength(FLEET);
    for (const tenant of emulator.store.all()) {
      expect(printed(up)).toContain(`by tenant ${tenant.tenantId} ("${tenant.name}", plan ${tenant.plan}, created ${tenant.createdAt})`);
    }
    expect(emulator.store.all()).toHaveLength(FLEET);

    // 3. Those commands, as printed; 4. `pulumi up`, which now has nothing to do.
    for (const command of commands) {
      const [, ...words] = command.split(" ");
      const r = await workspace.pulumi(project, ...words.map((word) => word.replace(/^'(.*)'$/, "$1")));
      console.log("REFRESH", words.join(" "), printed(r).slice(0, 2500));
      console.log("CHECKPOINT", JSON.stringify((await checkpoint()).deployment).slice(0, 3000));
      break;
    }
    const converged = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
    if (converged.code !== 0) console.log(printed(converged));
    expect(converged.code).toBe(0);
    expect(printed(converged)).not.toContain("pending operations");

    const recovered = await checkpoint();
    const recorded = recovered.deployment.resources.filter((resource) => resource.type === TENANT);
    expect(recorded.map((resource) => resource.id).sort()).toEqual(emulator.store.all().map((tenant) => tenant.tenantId).sort());
    expect(new Set(emulator.store.all().map((tenant) => tenant.slug)).size).toBe(FLEET);
    expect(recovered.deployment.pending_operations ?? []).toEqual([]);
    expect(recorded.map((resource) => path.basename(resource.urn.replace(/::/g, "/"))).sort()).toEqual(Array.from({ length: FLEET }, (_, i) => `t${i}`).sort());
  }, 600_000);
});
