/**
 * Journey 5: the README's TypeScript program for the plugin, with the plugin's Node SDK
 * (`@causeflow/pulumi-causeflow`, generated from its schema and compiled as its package.json
 * says), through the real Pulumi CLI against the emulator (readmeJourney.ts), the sample
 * type-checked against the SDK. The program runs in this process through the Automation API
 * (cli.ts says why).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { CliWorkspace, describeWithCli, readmeSample } from "./cli";
import { itRunsTheReadmeProgram } from "./readmeJourney";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

describeWithCli()("the README's TypeScript program with the plugin's Node SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  let programDir: string;
  const tsc = (cwd: string) => promisify(execFile)(process.execPath, [TSC], { cwd });

  /** Compiles this program against the SDK. */
  async function compile(source: string): Promise<void> {
    writeFileSync(path.join(programDir, "index.ts"), source);
    await tsc(programDir);
  }
  /** The compiled program, run afresh as the language host runs it. */
  function program(): Record<string, unknown> {
    const entry = path.join(programDir, "bin", "index.js");
    const load = (id: string) => require(require.resolve(id, { paths: [programDir] }));
    const module = { exports: {} as Record<string, unknown> };
    new Function("require", "module", "exports", readFileSync(entry, "utf8"))(load, module, module.exports);
    return module.exports;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-nodejs-");
    // The SDK built as its package.json says, and laid out as npm installs it: package.json beside bin's files.
    const sdk = path.join(await workspace.generatedSdks("nodejs"), "nodejs");
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    writeFileSync(path.join(sdk, "package.json"), readFileSync(path.join(sdk, "package.json"), "utf8").replace("${VERSION}", version));
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(sdk, "node_modules"));
    await tsc(sdk);
    copyFileSync(path.join(sdk, "package.json"), path.join(sdk, "bin", "package.json"));

    programDir = path.join(workspace.home, "program");
    mkdirSync(path.join(programDir, "node_modules", "@causeflow"), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(programDir, "node_modules", "@pulumi"));
    symlinkSync(path.join(REPO_ROOT, "node_modules", "@types"), path.join(programDir, "node_modules", "@types"));
    symlinkSync(path.join(sdk, "bin"), path.join(programDir, "node_modules", "@causeflow", "pulumi-causeflow"));
    writeFileSync(
      path.join(programDir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", outDir: "bin", types: ["node"] }, files: ["index.ts"] }),
    );
    workspace.env.PATH = `${workspace.pluginFolder()}${path.delimiter}${workspace.env.PATH}`;
    stack = await workspace.inlineStack("ts-causeflow", "dev", async () => program());
    await stack.setConfig("causeflow:apiUrl", { value: emulator.url });
    await stack.setConfig("causeflow:apiToken", { value: emulator.adminToken, secret: true });
  }, 300_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /** The README's sample with the edits made so far. */
  let sample = readmeSample("ts", "// TypeScript");
  itRunsTheReadmeProgram("ts", () => ({
    emulator,
    run: async (operation) => {
      await compile(sample);
      if (operation === "preview") {
        const preview = await stack.preview();
        return { summary: { changes: preview.changeSummary }, printed: `${preview.stdout}\n${preview.stderr}` };
      }
      const up = await stack.up();
      const outputs = Object.fromEntries(Object.entries(up.outputs).map(([key, output]) => [key, output.value]));
      return { summary: { outputs, changes: up.summary.resourceChanges ?? {} }, printed: `${up.stdout}\n${up.stderr}` };
    },
    rename: async () => void (sample = sample.replace('name: "Acme Corp"', 'name: "Acme Corporation"')),
    addImported: async (slug, id) =>
      void (sample += `new causeflow.Tenant("legacy", { name: "Legacy Inc", slug: "${slug}", ownerEmail: "it@legacy.example", plan: "business" }, { import: "${id}" });\n`),
  }));
});
