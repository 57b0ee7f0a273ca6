/**
 * Journey 2: the `causeflow` plugin from a YAML program (no SDK: the CLI reads the plugin's schema),
 * through the real Pulumi CLI and its YAML language host, against emulators: the lifecycle with
 * detailed diffs, two explicit providers against two CauseFlow accounts, `fn::invoke` of getTenant,
 * a bad provider setting, `pulumi import` with the code it generates, and `pulumi destroy`. The
 * project finds the plugin through a `plugins:` entry in Pulumi.yaml, as the installation page
 * (docs/installation-configuration.md) tells users to.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, docSample, printed, tenantMadeByHand, writesTo, type CliResult } from "../support/cli/workspace";

describeWithCli()("the causeflow plugin from a YAML program, through the Pulumi CLI", () => {
  let production: RunningEmulator;
  let staging: RunningEmulator;
  let workspace: CliWorkspace;
  let project: string;
  const pulumi = (...args: string[]) => workspace.pulumi(project, ...args);
  const run = (...args: string[]) => workspace.run(project, args);
  /** Writes the project's Pulumi.yaml around `body` (resources, variables, outputs). */
  const program = (body: string) => (project = workspace.yamlProject("causeflow-yaml", body));
  const acme = (settings: string, slug = "yaml-acme") => `
  acme:
    type: causeflow:index:Tenant
    properties:
      name: Acme Corp
      slug: ${slug}
      ownerEmail: owner@acme.com
      plan: pro
      settings:
${settings}`;
  const noToken = (result: CliResult) => {
    expect(printed(result)).not.toContain(production.adminToken);
    expect(printed(result)).not.toContain(staging.adminToken);
  };

  beforeAll(async () => {
    [production, staging] = await Promise.all([startEmulator(), startEmulator()]);
    workspace = new CliWorkspace("cf-cli-yaml-");
    program(`resources:${acme("        awsRegion: us-east-1")}`);
    await workspace.initStack(project, "dev", production);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await Promise.all([production?.close(), staging?.close()]);
  });

  it("creates the tenant with `pulumi up`, then previews no changes", async () => {
    const up = await pulumi("up", "--yes");
    expect(up.stdout).toMatch(/\+ {2}causeflow:index:Tenant acme created/);
    // Found through the project's `plugins:` entry, the plugin draws no "from $PATH" warning (move.test.ts has it).
    expect(printed(up)).not.toContain("using pulumi-resource-causeflow from $PATH");
    expect(production.store.findBySlug("yaml-acme")).toMatchObject({ name: "Acme Corp", plan: "pro", settings: { awsRegion: "us-east-1" } });
    noToken(up);
    production.journal.length = 0;
    noToken(await pulumi("preview", "--diff", "--expect-no-changes"));
    expect(production.journal).toEqual([]);
  }, 300_000);

  it("shows a settings change as a detailed diff by property, and PATCHes only what changed", async () => {
    program(`resources:${acme("        awsRegion: eu-west-1\n        awsRoleArn: arn:aws:iam::123456789012:role/CauseFlowRole")}`);
    const preview = await pulumi("preview", "--diff");
    expect(preview.stdout).toMatch(/~ awsRegion\s*: "us-east-1" => "eu-west-1"/);
    expect(preview.stdout).toMatch(/\+ awsRoleArn\s*: "arn:aws:iam::123456789012:role\/CauseFlowRole"/);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    production.journal.length = 0;
    await pulumi("up", "--yes");
    expect(writesTo(production)).toEqual([
      { method: "PATCH", path: expect.any(String), body: { settings: { awsRegion: "eu-west-1", awsRoleArn: "arn:aws:iam::123456789012:role/CauseFlowRole" } } },
    ]);
  }, 300_000);

  it("previews a slug change as a replacement, with the provider's warning on the resource", async () => {
    const { tenantId } = production.store.findBySlug("yaml-acme")!;
    program(`resources:${acme("        awsRegion: eu-west-1\n        awsRoleArn: arn:aws:iam::123456789012:role/CauseFlowRole", "yaml-acme-two")}`);
    const preview = await pulumi("preview", "--diff");
    expect(preview.stdout).toMatch(/\+-causeflow:index:Tenant: \(replace\)/);
    expect(preview.stdout).toMatch(/~ slug\s*: "yaml-acme" => "yaml-acme-two"/);
    expect(printed(preview)).toContain(`changing the slug of CauseFlow tenant "yaml-acme" (${tenantId}) to "yaml-acme-two" replaces it`);
    expect(production.store.size).toBe(1);
  }, 300_000);

  it("serves two explicit providers against two CauseFlow accounts, and getTenant through fn::invoke", async () => {
    await pulumi("config", "set", "--secret", "stagingToken", staging.adminToken);
    program(`config:
  stagingToken:
    type: string
    secret: true
resources:${acme("        awsRegion: eu-west-1\n        awsRoleArn: arn:aws:iam::123456789012:role/CauseFlowRole")}
  staging:
    type: pulumi:providers:causeflow
    properties:
      apiUrl: ${staging.url}
      apiToken: \${stagingToken}
  preprod:
    type: causeflow:index:Tenant
    properties:
      name: Acme (staging)
      slug: yaml-acme-staging
      ownerEmail: owner@acme.com
    options:
      provider: \${staging}
variables:
  found:
    fn::invoke:
      function: causeflow:index:getTenant
      arguments:
        tenantId: \${acme.tenantId}
outputs:
  foundPlan: \${found.plan}
  foundRegion: \${found.settings.awsRegion}
`);
    const up = await pulumi("up", "--yes");
    noToken(up);
    expect(staging.store.all().map((tenant) => tenant.slug)).toEqual(["yaml-acme-staging"]);
    expect(production.store.findBySlug("yaml-acme-staging")).toBeUndefined();
    const outputs = JSON.parse((await pulumi("stack", "output", "--json")).stdout);
    expect(outputs).toEqual({ foundPlan: "pro", foundRegion: "eu-west-1" });
  }, 300_000);

  it("fails a bad provider setting at CheckConfig, naming the key, before any request", async () => {
    await pulumi("config", "set", "causeflow:requestTimeout", "soon");
    production.journal.length = 0;
    const preview = await run("preview");
    expect(preview.code).not.toBe(0);
    expect(printed(preview)).toMatch(/requestTimeout/);
    expect(production.journal).toEqual([]);
    await pulumi("config", "rm", "causeflow:requestTimeout");
  }, 300_000);

  it("imports a tenant made by hand with `pulumi import`, generating protected YAML that previews no change once ownerEmail is filled in", async () => {
    const made = { tenantId: await tenantMadeByHand(production, "yaml-legacy") };
    const generated = path.join(workspace.home, "legacy.yaml");
    const imported = await pulumi("import", "causeflow:index:Tenant", "legacy", made.tenantId, "--yes", "--out", generated);
    expect(printed(imported)).toMatch(/ownerEmail/);
    const code = readFileSync(generated, "utf8");
    // The CLI writes the token's short form, marks the resource protected, and leaves the input the API never returns empty.
    expect(code).toMatch(/type: causeflow:Tenant/);
    expect(code).toMatch(/slug: yaml-legacy/);
    expect(code).toMatch(/protect: true/);
    expect(code).toMatch(/ownerEmail: ""/);
    expect((await pulumi("stack", "export")).stdout).toContain(made.tenantId);

    const current = readFileSync(path.join(project, "Pulumi.yaml"), "utf8");
    const legacy = code.slice(code.indexOf("resources:") + "resources:".length).replace('ownerEmail: ""', "ownerEmail: it@legacy.example");
    writeFileSync(path.join(project, "Pulumi.yaml"), current.replace("resources:", `resources:${legacy.replace(/\n+$/, "")}`));
    production.journal.length = 0;
    await pulumi("preview", "--diff", "--expect-no-changes");
    expect(writesTo(production)).toEqual([]);
  }, 300_000);

  it("`pulumi destroy` leaves every tenant in CauseFlow, and says so for each", async () => {
    expect((await run("destroy", "--yes")).stdout).toMatch(/cannot be deleted\s+because it is protected/);
    await pulumi("state", "unprotect", "--all", "--yes");
    const destroy = await pulumi("destroy", "--yes");
    for (const slug of ["yaml-acme", "yaml-acme-staging", "yaml-legacy"]) {
      expect(printed(destroy)).toMatch(new RegExp(`CauseFlow tenant "${slug}" \\(ten_\\w+\\) was removed from the Pulumi stack but still exists`));
    }
    expect(production.store.size + staging.store.size).toBe(3);
    noToken(destroy);
  }, 300_000);

  it("runs the overview's YAML sample (docs/_index.md) as it stands: a create, then no changes", async () => {
    const readmeProject = workspace.yamlProject("readme-yaml", docSample("docs/_index.md", "yaml", "# YAML (Pulumi.yaml)"));
    const readme = (...args: string[]) => workspace.pulumi(readmeProject, ...args);
    await workspace.initStack(readmeProject, "dev", production);
    await readme("up", "--yes");
    expect(production.store.findBySlug("acme-corp")).toMatchObject({ name: "Acme Corp", plan: "pro", settings: { awsRegion: "us-east-1" } });
    await readme("preview", "--expect-no-changes");
  }, 300_000);
});
