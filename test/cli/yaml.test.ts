/**
 * The plugin with the real Pulumi CLI, where one is installed: a YAML program (which needs no SDK:
 * the CLI reads the plugin's schema) creates a tenant with `pulumi up` and previews no changes,
 * and `pulumi import` brings a tenant made by hand under management. The CLI finds the plugin on
 * PATH as `pulumi-resource-causeflow`, as after `npm install -g @causeflow/pulumi`.
 */
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { CauseFlowClient } from "../../provider/client";
import { REPO_ROOT } from "../engine/fixture";
import { cliWorkspace, describeWithCli, type CliWorkspace } from "./cli";

const PROGRAM = `name: causeflow-yaml
runtime: yaml
resources:
  acme:
    type: causeflow:index:Tenant
    properties:
      name: Acme Corp
      slug: yaml-acme
      ownerEmail: owner@acme.com
      settings:
        awsRegion: us-east-1
outputs:
  tenantId: \${acme.tenantId}
`;

describeWithCli(__filename)("the plugin with the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;
  const pulumi = (...args: string[]) => workspace.pulumi(project, ...args);

  beforeAll(async () => {
    workspace = cliWorkspace("cf-plugin-cli-");
    const { home } = workspace;
    const bin = path.join(home, "bin");
    project = path.join(home, "program");
    for (const dir of [bin, project]) mkdirSync(dir);
    const { bin: bins } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    const entry = path.join(REPO_ROOT, bins["pulumi-resource-causeflow"]);
    chmodSync(entry, 0o755);
    symlinkSync(entry, path.join(bin, "pulumi-resource-causeflow"));
    writeFileSync(path.join(project, "Pulumi.yaml"), PROGRAM);
    workspace.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    emulator = await startEmulator();
    await pulumi("stack", "init", "dev");
    await pulumi("config", "set", "causeflow:apiUrl", emulator.url);
    await pulumi("config", "set", "--secret", "causeflow:apiToken", emulator.adminToken);
  }, 120_000);
  afterAll(async () => {
    await workspace.close(project);
    await emulator?.close();
  });

  it("creates the YAML program's tenant with `pulumi up`, then previews no changes", async () => {
    await pulumi("up", "--yes", "--skip-preview");
    expect(emulator.store.findBySlug("yaml-acme")).toMatchObject({ name: "Acme Corp", settings: { awsRegion: "us-east-1" } });
    const { stdout } = await pulumi("preview", "--diff", "--expect-no-changes");
    expect(stdout).not.toContain(emulator.adminToken);
  }, 300_000);

  it("imports a tenant made by hand with `pulumi import`, generating its program", async () => {
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    const made = await client.createTenant({ name: "Legacy Inc", slug: "yaml-legacy", ownerEmail: "it@legacy.example", plan: "business" });
    await client.close();
    const generated = path.join(workspace.home, "legacy.yaml");
    await pulumi("import", "causeflow:index:Tenant", "legacy", made.tenantId, "--yes", "--out", generated);
    expect(readFileSync(generated, "utf8")).toMatch(/slug: yaml-legacy/);
    const { stdout } = await pulumi("stack", "export");
    expect(stdout).toContain(made.tenantId);
  }, 300_000);
});
