/**
 * The fleet example split across stacks (examples/typescript/fleet/stacks.ts) through the real
 * CLI: every fleet file's stack run side by side, a stack that fails leaving the others to finish,
 * and the same command, run again once the cause is fixed, finishing the job.
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { fleetStacks, runFleetStacks, type FleetStacksOptions } from "../../examples/typescript/fleet/stacks";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, tenantMadeByHand } from "../support/cli/workspace";
import { REPO_ROOT } from "../support/repo";

const fleetFile = (slugs: string[]) => JSON.stringify({ tenants: slugs.map((slug) => ({ slug, name: `Tenant ${slug}`, ownerEmail: `owner@${slug}.example` })) });

describeWithCli()("a fleet split across stacks, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let options: FleetStacksOptions;
  const progress: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-fleet-stacks-");
    const projectDir = path.join(workspace.home, "fleet");
    const fleetsDir = path.join(projectDir, "fleets");
    mkdirSync(fleetsDir, { recursive: true });
    // A user's project has its own node_modules, whence the engine's dynamic-provider host loads.
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(projectDir, "node_modules"));
    writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: causeflow-fleet\nruntime: nodejs\n");
    writeFileSync(path.join(fleetsDir, "emea.json"), fleetFile(["emea-1", "emea-2", "emea-3"]));
    writeFileSync(path.join(fleetsDir, "americas.yaml"), `tenants:\n${["us-1", "us-2"].map((slug) => `  - slug: ${slug}\n    name: Tenant ${slug}\n    ownerEmail: owner@${slug}.example\n`).join("")}`);
    Object.assign(workspace.env, { CAUSEFLOW_API_URL: emulator.url, CAUSEFLOW_API_TOKEN: emulator.adminToken });
    options = {
      projectDir,
      fleetsDir,
      workspace: { pulumiHome: workspace.env.PULUMI_HOME, envVars: workspace.env, pulumiCommand: await PulumiCommand.get({ root: workspace.commandRoot, skipVersionCheck: true }) },
      progress: (line) => progress.push(line),
      progressEvery: 2,
    };
  }, 60_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("names each stack after its fleet file, and refuses a folder without one", () => {
    expect(fleetStacks(options.fleetsDir).map(({ stack }) => stack)).toEqual(["americas", "emea"]);
    const empty = path.join(workspace.home, "empty");
    mkdirSync(empty);
    expect(() => fleetStacks(empty)).toThrow(/holds no fleet file: add one per stack, such as .*emea\.yaml/);
  });

  it("runs every stack; one that fails leaves the others to finish, and the next run finishes it", async () => {
    await tenantMadeByHand(emulator, "us-2");
    const first = await runFleetStacks("up", options);
    expect(first.map(({ stack, changes, error }) => ({ stack, created: changes?.create, failed: error !== undefined }))).toEqual([
      { stack: "americas", created: undefined, failed: true },
      { stack: "emea", created: 4, failed: false }, // its three tenants, and the stack itself
    ]);
    // The engine's diagnostics, not the whole of the CLI's output; no token.
    expect(first[0].error).toMatch(/^Diagnostics:\n[\s\S]*The slug "us-2" is already taken/);
    expect(first[0].error).not.toContain("Updating (americas)");
    expect(first[0].error).not.toContain(emulator.adminToken);
    expect(progress).toEqual(
      expect.arrayContaining([expect.stringMatching(/^emea: 2 tenants done, \d+ s$/), expect.stringMatching(/^emea: up done in \d+\.\d s: 4 create$/), expect.stringMatching(/^americas: up failed after /)]),
    );
    // The cause fixed: the hand-made tenant's entry leaves the file.
    writeFileSync(path.join(options.fleetsDir, "americas.yaml"), "tenants:\n  - slug: us-1\n    name: Tenant us-1\n    ownerEmail: owner@us-1.example\n");
    const second = await runFleetStacks("up", options);
    expect(second.map(({ stack, changes, error }) => ({ stack, changes, error }))).toEqual([
      { stack: "americas", changes: { same: 2 }, error: undefined },
      { stack: "emea", changes: { same: 4 }, error: undefined },
    ]);
    expect(emulator.store.all().map((tenant) => tenant.slug).sort()).toEqual(["emea-1", "emea-2", "emea-3", "us-1", "us-2"]);
    const preview = await runFleetStacks("preview", options);
    expect(preview.map(({ changes }) => changes)).toEqual([{ same: 2 }, { same: 4 }]);
  }, 300_000);
});
