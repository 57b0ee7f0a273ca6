/**
 * Journey 5: the TypeScript sample of docs/_index.md, with the plugin's Node SDK
 * (`@causeflow/pulumi-causeflow`, generated from its schema and compiled as its package.json
 * says), through the real Pulumi CLI against the emulator (docSampleJourney.ts), the sample
 * type-checked against the SDK. The program runs in this process through the Automation API
 * (test/support/cli/workspace.ts says why).
 */
import { execFile } from "node:child_process";
import { copyFileSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { REPO_ROOT } from "../support/repo";
import { CliWorkspace, describeWithCli, docSample, printed, TSC, TypeScriptProgram } from "../support/cli/workspace";
import { itRunsTheDocSample } from "../support/cli/docSampleJourney";


describeWithCli()("the overview's TypeScript sample with the plugin's Node SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  let program: TypeScriptProgram;

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-nodejs-");
    // The SDK built as its package.json says, and laid out as npm installs it: package.json beside bin's files.
    const sdk = workspace.committedSdk("nodejs");
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(sdk, "node_modules"));
    await promisify(execFile)(process.execPath, [TSC], { cwd: sdk });
    copyFileSync(path.join(sdk, "package.json"), path.join(sdk, "bin", "package.json"));

    program = new TypeScriptProgram(path.join(workspace.home, "program"), {
      "@pulumi": path.join(REPO_ROOT, "node_modules", "@pulumi"),
      "@types": path.join(REPO_ROOT, "node_modules", "@types"),
      "@causeflow/pulumi-causeflow": path.join(sdk, "bin"),
    });
    workspace.env.PATH = `${workspace.pluginFolder()}${path.delimiter}${workspace.env.PATH}`;
    stack = await workspace.inlineStack("ts-causeflow", "dev", async () => program.run(), emulator);
  }, 300_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /** The sample with the edits made so far. */
  let sample = docSample("docs/_index.md", "ts", "// TypeScript");
  itRunsTheDocSample("ts", () => ({
    emulator,
    run: async (operation) => {
      await program.compile(sample);
      if (operation === "preview") {
        const preview = await stack.preview();
        return { summary: { changes: preview.changeSummary }, printed: printed(preview) };
      }
      const up = await stack.up();
      const outputs = Object.fromEntries(Object.entries(up.outputs).map(([key, output]) => [key, output.value]));
      return { summary: { outputs, changes: up.summary.resourceChanges ?? {} }, printed: printed(up) };
    },
    rename: async () => void (sample = sample.replace('name: "Acme Corp"', 'name: "Acme Corporation"')),
    addImported: async (slug, id) =>
      void (sample += `new causeflow.Tenant("legacy", { name: "Legacy Inc", slug: "${slug}", ownerEmail: "it@legacy.example", plan: "business" }, { import: "${id}" });\n`),
  }));
});
