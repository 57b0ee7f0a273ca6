/**
 * Journey 4: the README's Go program, with the plugin's Go SDK (generated from its schema) and the
 * Pulumi Go SDK pinned beside the CLI, through the real Pulumi CLI against the emulator: up, a
 * preview with no changes, and an update. The program runs through Pulumi's Go Automation API
 * (go/main.go.tmpl says why).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { CauseFlowClient } from "../../provider/client";
import { CliWorkspace, describeWithCli, readmeSample } from "./cli";

const TOOLS = path.resolve(__dirname, "..", "..", "tools", "pulumi");
const SDK_MODULE = "github.com/causeflow/pulumi-causeflow/sdk/go/causeflow";

describeWithCli()("the README's Go program with the plugin's SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let programDir: string;
  const go = (...args: string[]) => promisify(execFile)("go", args, { cwd: programDir, env: { ...process.env, GOFLAGS: "-mod=mod" }, maxBuffer: 16 * 1024 * 1024 });
  /** Writes main.go around the README's sample, with `edit` applied to the sample, and builds it. */
  async function build(edit: (sample: string) => string = (sample) => sample): Promise<void> {
    const sample = edit(readmeSample("go", "// Go")).replace(/^/gm, "\t");
    writeFileSync(path.join(programDir, "main.go"), readFileSync(path.join(__dirname, "go", "main.go.tmpl"), "utf8").replace("\t// PROGRAM\n", sample));
    await go("build", "-o", "program", ".");
  }
  async function run(operation: "up" | "preview"): Promise<{ summary: { outputs?: Record<string, unknown>; changes: Record<string, number> }; printed: string }> {
    const { stdout, stderr } = await promisify(execFile)(path.join(programDir, "program"), [operation], {
      env: {
        ...workspace.env,
        PATH: `${workspace.pluginFolder()}${path.delimiter}${workspace.env.PATH}`,
        PROJECT: "go-causeflow",
        STACK: "dev",
        WORK_DIR: path.join(workspace.home, "go-causeflow"),
        PULUMI_ROOT: workspace.commandRoot(),
        API_URL: emulator.url,
        API_TOKEN: emulator.adminToken,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trimEnd().split("\n");
    return { summary: JSON.parse(lines[lines.length - 1]), printed: `${stdout}\n${stderr}` };
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-go-");
    const sdk = path.join(await workspace.generatedSdks("go"), "go", "causeflow");
    // The Pulumi Go SDK at the CLI's pin; the generated SDK, a module of its own, by replace.
    const sdkVersion = /^\s*github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/m.exec(readFileSync(path.join(TOOLS, "go.mod"), "utf8"))![1];
    writeFileSync(path.join(sdk, "go.mod"), `module ${SDK_MODULE}\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${sdkVersion}\n`);
    programDir = path.join(workspace.home, "program");
    mkdirSync(programDir);
    mkdirSync(path.join(workspace.home, "go-causeflow"));
    writeFileSync(
      path.join(programDir, "go.mod"),
      `module causeflow.test/journey\n\ngo 1.26\n\nrequire (\n\t${SDK_MODULE} v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 ${sdkVersion}\n)\n\nreplace ${SDK_MODULE} => ${sdk}\n`,
    );
    copyFileSync(path.join(TOOLS, "go.sum"), path.join(programDir, "go.sum"));
    await build(() => "");
    await go("mod", "tidy");
  }, 600_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("creates the README's tenant with `pulumi up`, then previews no changes", async () => {
    await build();
    const up = await run("up");
    const [tenant] = emulator.store.all();
    expect(tenant).toMatchObject({ name: "Acme Corp", slug: "acme-corp", plan: "pro", settings: { awsRegion: "us-east-1" } });
    expect(up.summary.outputs).toEqual({ tenantId: tenant.tenantId });
    expect(up.printed).not.toContain(emulator.adminToken);
    emulator.journal.length = 0;
    const preview = await run("preview");
    expect(preview.summary.changes).toEqual({ same: 2 });
    expect(emulator.journal).toEqual([]);
  }, 300_000);

  it("updates it in place when the program renames it", async () => {
    await build((sample) => sample.replace('pulumi.String("Acme Corp")', 'pulumi.String("Acme Corporation")'));
    emulator.journal.length = 0;
    const up = await run("up");
    expect(up.summary.changes).toMatchObject({ update: 1 });
    expect(emulator.journal.filter((entry) => entry.method !== "GET")).toEqual([{ method: "PATCH", path: expect.any(String), body: { name: "Acme Corporation" } }]);
    expect(emulator.store.size).toBe(1);
  }, 300_000);

  it("imports a tenant made by hand by id with the `pulumi.Import` resource option, and then previews no changes", async () => {
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    const made = await client.createTenant({ name: "Legacy Inc", slug: "go-legacy", ownerEmail: "it@legacy.example", plan: "business" });
    await client.close();
    const legacy = `
_, err = causeflow.NewTenant(ctx, "legacy", &causeflow.TenantArgs{
	Name: pulumi.String("Legacy Inc"), Slug: pulumi.String("go-legacy"),
	OwnerEmail: pulumi.String("it@legacy.example"), Plan: causeflow.PlanBusiness,
}, pulumi.Import(pulumi.ID("${made.tenantId}")))
if err != nil {
	return err
}
`;
    await build((sample) => sample.replace('pulumi.String("Acme Corp")', 'pulumi.String("Acme Corporation")') + legacy);
    emulator.journal.length = 0;
    const up = await run("up");
    expect(up.summary.changes).toMatchObject({ import: 1 });
    expect((await run("preview")).summary.changes).toEqual({ same: 3 });
    expect(emulator.journal.filter((entry) => entry.method !== "GET")).toEqual([]);
  }, 300_000);
});
