/**
 * The plugin as a release ships it: `npm run build:plugin` makes one executable (no Node.js, no
 * npm install) and its archive; the pinned Pulumi CLI installs the archive into an empty
 * PULUMI_HOME with `pulumi plugin install resource causeflow <version> --file`, and a YAML program
 * with no `plugins:` entry then runs the installed plugin against the emulator.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { buildPluginBinary, tarballName, type BuiltPlugin } from "../../tools/release/pluginBinary";
import { CliWorkspace, describeWithCli, printed } from "../support/cli/workspace";

const { version } = require("@causeflow/pulumi/package.json") as { version: string };

describeWithCli()("the plugin as one executable, installed from its archive by the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let out: string;
  let built: BuiltPlugin;

  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), "cf-plugin-release-"));
    built = buildPluginBinary(out, () => undefined);
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-binary-");
  }, 180_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("packs the executable, LICENSE and README.md under the name the engine looks for", () => {
    expect(path.basename(built.tarball)).toBe(tarballName(version));
    expect(path.basename(built.tarball)).toMatch(/^pulumi-resource-causeflow-v\d+\.\d+\.\d+-linux-(amd64|arm64)\.tar\.gz$/);
    expect(execFileSync("tar", ["-tzf", built.tarball], { encoding: "utf8" }).trim().split("\n").sort()).toEqual(["LICENSE", "README.md", "pulumi-resource-causeflow"]);
  });

  it("runs with no Node.js beside it: --version answers from an empty environment", () => {
    // No PATH, no NODE_*: the executable carries its runtime and every module it loads.
    expect(execFileSync(built.binary, ["--version"], { env: {}, encoding: "utf8" })).toBe(`${version}\n`);
  });

  it("installs with `pulumi plugin install --file` into an empty PULUMI_HOME", async () => {
    const home = workspace.env.PULUMI_HOME;
    expect(existsSync(path.join(home, "plugins"))).toBe(false);
    await workspace.pulumi(workspace.home, "plugin", "install", "resource", "causeflow", version, "--file", built.tarball);
    const listed = JSON.parse((await workspace.pulumi(workspace.home, "plugin", "ls", "--json")).stdout) as { name: string; kind: string; version: string }[];
    expect(listed).toEqual([expect.objectContaining({ name: "causeflow", kind: "resource", version })]);
    expect(readdirSync(path.join(home, "plugins", `resource-causeflow-v${version}`))).toEqual(expect.arrayContaining(["pulumi-resource-causeflow"]));
  }, 120_000);

  it("serves a YAML program that names no plugin folder: the installed executable creates the tenant", async () => {
    const project = workspace.yamlProject(
      "causeflow-binary",
      `resources:
  acme:
    type: causeflow:index:Tenant
    properties:
      name: Acme Corp
      slug: binary-acme
      ownerEmail: owner@acme.com
      plan: pro
outputs:
  tenantId: \${acme.tenantId}
`,
      "installed",
    );
    await workspace.initStack(project, "dev", emulator);
    // jest runs under npm, whose PATH holds node_modules/.bin and this package's Node plugin: the
    // CLI prefers a plugin on PATH to an installed one, unless told to ignore ambient plugins.
    const up = await workspace.run(project, ["up", "--yes"], { PULUMI_IGNORE_AMBIENT_PLUGINS: "true" });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/\+ {2}causeflow:index:Tenant acme created/);
    expect(printed(up)).not.toContain("from $PATH");
    expect(emulator.store.findBySlug("binary-acme")).toMatchObject({ name: "Acme Corp", plan: "pro" });
    const outputs = JSON.parse((await workspace.pulumi(project, "stack", "output", "--json")).stdout) as { tenantId: string };
    expect(outputs.tenantId).toBe(emulator.store.findBySlug("binary-acme")?.tenantId);
  }, 300_000);
});
