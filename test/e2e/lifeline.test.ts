/**
 * Nothing a CLI journey starts outlives it: `pulumi up` of a YAML program, stuck in a slow create,
 * whose parent (standing in for a test runner) is killed with SIGKILL. The CLI, its YAML language
 * host and the plugin all end, through tools/pulumi/lifeline.
 */
import { spawn } from "node:child_process";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { descendantsOf, descendantsOnceRunning, itOnLinux, survivorsAfter } from "../support/processes";
import { cli, CliWorkspace, describeWithCli } from "../support/cli/workspace";

describeWithCli()("a CLI run whose parent is killed", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;

  beforeAll(async () => {
    emulator = await startEmulator({ faults: [{ method: "POST", latencyMs: 60_000 }] });
    workspace = new CliWorkspace("cf-cli-lifeline-");
    project = workspace.yamlProject(
      "lifeline",
      `resources:\n  slow:\n    type: causeflow:index:Tenant\n    properties:\n      name: Slow\n      slug: slow-one\n      ownerEmail: o@slow.example\n`,
    );
    await workspace.initStack(project, "dev", emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  itOnLinux("ends the CLI, its language host and the plugin when the parent dies mid-create", async () => {
    expect(cli?.lifeline).toBeDefined();
    const { file, args } = workspace.command(["up", "--yes", "--skip-preview"]);
    const script = `require("node:child_process").spawn(${JSON.stringify(file)}, ${JSON.stringify(args)}, { stdio: "ignore" }); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", script], { cwd: project, env: workspace.env, stdio: "ignore" });
    try {
      await descendantsOnceRunning(parent.pid!, /pulumi-resource-causeflow/, 60_000);
      await waitFor(() => emulator.stats.connections > 0);
      const tree = descendantsOf(parent.pid!);
      expect(tree.length).toBeGreaterThanOrEqual(4); // lifeline, pulumi, the YAML host, the plugin
      parent.kill("SIGKILL");
      expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    } finally {
      parent.kill("SIGKILL");
    }
  }, 120_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
