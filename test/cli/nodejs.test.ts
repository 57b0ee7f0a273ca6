/**
 * Journey 5: the README's TypeScript program for the plugin, with the plugin's Node SDK
 * (`@causeflow/pulumi-causeflow`, generated from its schema and compiled as its package.json
 * says), through the real Pulumi CLI against the emulator: the sample type-checks against the
 * SDK, then up, a preview with no changes, and an update. The program runs in this process through
 * the Automation API (cli.ts says why).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { CliWorkspace, describeWithCli, readmeSample } from "./cli";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

describeWithCli()("the README's TypeScript program with the plugin's Node SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  let programDir: string;
  const tsc = (cwd: string) => promisify(execFile)(process.execPath, [TSC], { cwd });

  /** Compiles the README's sample, with `edit` applied, against the SDK; the program that runs its output afresh. */
  async function compile(edit: (sample: string) => string = (sample) => sample): Promise<void> {
    writeFileSync(path.join(programDir, "index.ts"), edit(readmeSample("ts", "// TypeScript")));
    await tsc(programDir);
  }
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

  it("creates the README's tenant with `pulumi up`, then previews no changes", async () => {
    await compile();
    const up = await stack.up();
    const [tenant] = emulator.store.all();
    expect(tenant).toMatchObject({ name: "Acme Corp", slug: "acme-corp", plan: "pro", settings: { awsRegion: "us-east-1" } });
    expect(up.outputs.tenantId.value).toBe(tenant.tenantId);
    expect(`${up.stdout}\n${up.stderr}`).not.toContain(emulator.adminToken);
    emulator.journal.length = 0;
    const preview = await stack.preview({ diff: true, expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(emulator.journal).toEqual([]);
  }, 300_000);

  it("updates it in place when the program renames it", async () => {
    await compile((sample) => sample.replace('name: "Acme Corp"', 'name: "Acme Corporation"'));
    emulator.journal.length = 0;
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(emulator.journal.filter((entry) => entry.method !== "GET")).toEqual([{ method: "PATCH", path: expect.any(String), body: { name: "Acme Corporation" } }]);
  }, 300_000);
});
