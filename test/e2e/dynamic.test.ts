/**
 * Journey 1: the dynamic `causeflow.Tenant` of a TypeScript program, through the real Pulumi CLI
 * and its engine, against the emulator: what the user sees in the CLI's output at each step of the
 * lifecycle docs/lifecycle.md describes, and what CauseFlow then holds; and the README's example
 * as it stands. The program runs in this process through the Automation API (test/support/cli/workspace.ts says why); the
 * engine launches the dynamic-provider host as it does for any program.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { REPO_ROOT } from "../support/repo";
import { CliWorkspace, describeWithCli, docSample, printed, TypeScriptProgram, writesTo } from "../support/cli/workspace";

const EXTERNAL_ID = "ext-id-b7d1c0ffee";

describeWithCli()("causeflow.Tenant through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  /** What the program declares; each test edits it before its run. */
  let args: causeflow.TenantArgs;
  let options: pulumi.CustomResourceOptions = {};

  const tenants = () => emulator.store.all();
  const writes = () => writesTo(emulator);

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-dynamic-");
    args = {
      name: "Acme Corp",
      slug: "cli-acme",
      ownerEmail: "owner@acme.com",
      plan: "pro",
      settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/CauseFlowRole", awsExternalId: EXTERNAL_ID },
    };
    stack = await workspace.inlineStack("cli-dynamic", "dev", async () => {
      const acme = new causeflow.Tenant("acme", args, options);
      return { tenantId: acme.tenantId };
    }, emulator);
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("creates the tenant with `pulumi up`, then previews no changes", async () => {
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    expect(tenants()).toEqual([expect.objectContaining({ name: "Acme Corp", slug: "cli-acme", plan: "pro" })]);
    expect(up.outputs.tenantId.value).toBe(tenants()[0].tenantId);

    emulator.journal.length = 0;
    const preview = await stack.preview({ diff: true, expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(emulator.journal).toEqual([]);
    expect(printed(preview)).not.toContain(emulator.adminToken);
  }, 300_000);

  it("renames with an update that PATCHes the name alone", async () => {
    args = { ...args, name: "Acme Corporation" };
    emulator.journal.length = 0;
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(writes()).toEqual([{ method: "PATCH", path: `/v1/tenants/${tenants()[0].tenantId}`, body: { name: "Acme Corporation" } }]);
  }, 300_000);

  it("changes one setting with a PATCH of that field alone", async () => {
    args = { ...args, settings: { ...args.settings, awsRegion: "eu-west-1" } };
    emulator.journal.length = 0;
    const preview = await stack.preview({ diff: true });
    expect(preview.stdout).toMatch(/~ settings\s*: \{[^}]*~ awsRegion\s*: "us-east-1" => "eu-west-1"/s);
    await stack.up();
    expect(writes()).toEqual([{ method: "PATCH", path: expect.any(String), body: { settings: { awsRegion: "eu-west-1" } } }]);
    expect(tenants()[0].settings).toMatchObject({ awsRegion: "eu-west-1", awsExternalId: EXTERNAL_ID });
  }, 300_000);

  it("keeps the external ID a secret in the state, and the token out of every tenant's", async () => {
    const [file] = readdirSync(path.join(workspace.home, "backend", ".pulumi", "stacks", "cli-dynamic"));
    const onDisk = readFileSync(path.join(workspace.home, "backend", ".pulumi", "stacks", "cli-dynamic", file), "utf8");
    expect(onDisk).not.toContain(emulator.adminToken);
    expect(onDisk).not.toContain(EXTERNAL_ID);
    // With secrets shown, the token appears only where the engine keeps the stack's config: the
    // dynamic provider's inputs, as it does for every provider's settings.
    const revealed = JSON.parse((await workspace.pulumi(stack.workspace.workDir, "stack", "export", "--show-secrets", "--stack", "dev")).stdout);
    const holding = revealed.deployment.resources.filter((resource: object) => JSON.stringify(resource).includes(emulator.adminToken));
    expect(holding.map((resource: { type: string }) => resource.type)).toEqual(["pulumi:providers:pulumi-nodejs"]);
    expect(JSON.stringify(revealed)).toContain(EXTERNAL_ID);
  }, 300_000);

  it("takes the token from CAUSEFLOW_API_TOKEN instead, keeping it out of the state altogether, and changing no tenant", async () => {
    await stack.removeConfig("causeflow:apiToken");
    stack.workspace.envVars.CAUSEFLOW_API_TOKEN = emulator.adminToken;
    emulator.journal.length = 0;
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 2 });
    expect(writes()).toEqual([]);
    const revealed = await workspace.pulumi(stack.workspace.workDir, "stack", "export", "--show-secrets", "--stack", "dev");
    expect(revealed.stdout).not.toContain(emulator.adminToken);
    await stack.refresh();
    expect(emulator.journal.some((entry) => entry.method === "GET")).toBe(true);
  }, 300_000);

  it("shows drift made in CauseFlow on `pulumi refresh`, and `pulumi up` puts the program's values back", async () => {
    const [stored] = tenants();
    emulator.store.put({ ...stored, name: "Renamed by hand" });
    const refresh = await stack.refresh();
    expect(refresh.stdout).toMatch(/causeflow:Tenant acme updated .*\[diff: ~name\]/);
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    emulator.journal.length = 0;
    await stack.up();
    expect(writes()).toEqual([{ method: "PATCH", path: expect.any(String), body: { name: "Acme Corporation" } }]);
    expect(tenants()[0].name).toBe("Acme Corporation");
  }, 300_000);

  it("replaces the tenant on a slug change, with the warning in the preview, and leaves the old one in CauseFlow", async () => {
    const [old] = tenants();
    args = { ...args, slug: "cli-acme-two" };
    const preview = await stack.preview({ diff: true });
    expect(preview.changeSummary).toMatchObject({ replace: 1 });
    expect(printed(preview)).toContain(`changing the slug of CauseFlow tenant "cli-acme" (${old.tenantId}) to "cli-acme-two" replaces it`);
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    expect(printed(up)).toContain(`CauseFlow tenant "cli-acme" (${old.tenantId}) was removed from the Pulumi stack but still exists in CauseFlow`);
    expect(tenants().map((t) => t.slug).sort()).toEqual(["cli-acme", "cli-acme-two"]);
  }, 300_000);

  it("refuses to destroy a protected tenant", async () => {
    options = { protect: true };
    await stack.up();
    await expect(stack.destroy()).rejects.toThrow(/protected/);
    expect(tenants()).toHaveLength(2);
  }, 300_000);

  it("`pulumi destroy` drops the tenant from the stack, leaves it in CauseFlow, and says so", async () => {
    options = {};
    await stack.up();
    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toMatchObject({ delete: 2 });
    expect(printed(destroy)).toContain(`CauseFlow tenant "cli-acme-two"`);
    expect(printed(destroy)).toContain("still exists in CauseFlow");
    expect(tenants()).toHaveLength(2);
    expect(printed(destroy)).not.toContain(emulator.adminToken);
  }, 300_000);

  it("runs the README's example as it stands, the external ID a secret of the stack's config: its tenant created, then no changes", async () => {
    const program = new TypeScriptProgram(path.join(workspace.home, "readme-program"), {
      "@pulumi": path.join(REPO_ROOT, "node_modules", "@pulumi"),
      "@types": path.join(REPO_ROOT, "node_modules", "@types"),
      "@causeflow/pulumi": REPO_ROOT,
    });
    await program.compile(docSample("README.md", "ts", 'import * as pulumi from "@pulumi/pulumi";'));
    const readme = await workspace.inlineStack("cli-readme", "dev", async () => program.run(), emulator);
    // As the README's steps set it: `pulumi config set --secret awsExternalId …`.
    await readme.setConfig("awsExternalId", { value: EXTERNAL_ID, secret: true });
    const up = await readme.up();
    const tenant = emulator.store.findBySlug("acme-corp");
    expect(tenant).toMatchObject({ name: "Acme Corp", plan: "pro", settings: { awsRegion: "us-east-1", awsExternalId: EXTERNAL_ID } });
    expect(printed(up)).not.toContain(EXTERNAL_ID);
    expect(up.outputs.tenantId.value).toBe(tenant?.tenantId);
    expect((await readme.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 2 });
  }, 300_000);
});
