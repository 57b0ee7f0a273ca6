/**
 * Journey 4: the Go sample of docs/_index.md, with the plugin's Go SDK (generated from its schema)
 * and the Pulumi Go SDK pinned beside the CLI, through the real Pulumi CLI against the emulator
 * (docSampleJourney.ts). The program runs through Pulumi's Go Automation API (go/main.go.tmpl says
 * why): the body of the sample's `pulumi.Run` becomes the harness's program, whose imports are the
 * sample's.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { REPO_ROOT } from "../support/repo";
import { CliWorkspace, describeWithCli, docSample } from "../support/cli/workspace";
import { itRunsTheDocSample } from "../support/cli/docSampleJourney";
import { CLI_SUPPORT } from "../support/cli/pinnedCli";

const TOOLS = path.join(REPO_ROOT, "tools", "pulumi");
const SDK_MODULE = "github.com/causeflow/pulumi-causeflow/sdk/go/causeflow";

/**
 * The body of a whole Go program's `pulumi.Run` function, less its `return nil`, for the harness's
 * program function; the program must import exactly what the harness gives it, the SDK and pulumi.
 */
function programBody(sample: string): string {
  const imports = [.../^import \(\n([\s\S]*?)\n\)/m.exec(sample)?.[1].matchAll(/"([^"]+)"/g) ?? []].map(([, imported]) => imported);
  if (JSON.stringify(imports) !== JSON.stringify([SDK_MODULE, "github.com/pulumi/pulumi/sdk/v3/go/pulumi"])) {
    throw new Error(`the Go sample imports ${JSON.stringify(imports)}, not the SDK and pulumi`);
  }
  const body = /^\tpulumi\.Run\(func\(ctx \*pulumi\.Context\) error \{\n([\s\S]*?)\t\treturn nil\n\t\}\)\n\}\n*$/m.exec(sample);
  if (!body) throw new Error("the Go sample is not a main function calling pulumi.Run, ending in return nil");
  return body[1].replace(/^\t\t/gm, "");
}

describeWithCli()("the overview's Go sample with the plugin's SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let programDir: string;
  const go = (...args: string[]) => promisify(execFile)("go", args, { cwd: programDir, env: { ...process.env, GOFLAGS: "-mod=mod" }, maxBuffer: 16 * 1024 * 1024 });
  /** Writes main.go around this program body, and builds it. */
  async function build(body: string): Promise<void> {
    writeFileSync(path.join(programDir, "main.go"), readFileSync(path.join(CLI_SUPPORT, "go", "main.go.tmpl"), "utf8").replace("\t// PROGRAM\n", body.replace(/^/gm, "\t")));
    await go("build", "-o", "program", ".");
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
    writeFileSync(
      path.join(programDir, "go.mod"),
      `module causeflow.test/journey\n\ngo 1.26\n\nrequire (\n\t${SDK_MODULE} v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 ${sdkVersion}\n)\n\nreplace ${SDK_MODULE} => ${sdk}\n`,
    );
    copyFileSync(path.join(TOOLS, "go.sum"), path.join(programDir, "go.sum"));
    await build("");
    await go("mod", "tidy");
  }, 600_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /** The sample's program body, with the edits made so far. */
  let sample = programBody(docSample("docs/_index.md", "go", "// Go"));
  itRunsTheDocSample("go", () => ({
    emulator,
    run: async (operation) => {
      await build(sample);
      return workspace.runHarness(path.join(programDir, "program"), [operation], "go-causeflow", emulator);
    },
    rename: async () => void (sample = sample.replace('pulumi.String("Acme Corp")', 'pulumi.String("Acme Corporation")')),
    addImported: async (slug, id) =>
      void (sample += `
_, err = causeflow.NewTenant(ctx, "legacy", &causeflow.TenantArgs{
	Name: pulumi.String("Legacy Inc"), Slug: pulumi.String("${slug}"),
	OwnerEmail: pulumi.String("it@legacy.example"), Plan: causeflow.PlanBusiness,
}, pulumi.Import(pulumi.ID("${id}")))
if err != nil {
	return err
}
`),
  }));
});
