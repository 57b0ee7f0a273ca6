/**
 * Journey 4: the README's Go program, with the plugin's Go SDK (generated from its schema) and the
 * Pulumi Go SDK pinned beside the CLI, through the real Pulumi CLI against the emulator
 * (readmeJourney.ts). The program runs through Pulumi's Go Automation API (go/main.go.tmpl says why).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, readmeSample, REPO_ROOT } from "../support/cli/workspace";
import { itRunsTheReadmeProgram } from "../support/cli/readmeJourney";
import { CLI_SUPPORT } from "../support/cli/pinnedCli";

const TOOLS = path.join(REPO_ROOT, "tools", "pulumi");
const SDK_MODULE = "github.com/causeflow/pulumi-causeflow/sdk/go/causeflow";

describeWithCli()("the README's Go program with the plugin's SDK, through the Pulumi CLI", () => {
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

  /** The README's sample with the edits made so far, as the program's body. */
  let sample = readmeSample("go", "// Go");
  itRunsTheReadmeProgram("go", () => ({
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
