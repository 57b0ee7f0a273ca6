/**
 * The plugin as a release ships it: `npm run build:plugin` makes one executable (no Node.js, no
 * npm install) and its archive; the pinned Pulumi CLI installs the archive into an empty
 * PULUMI_HOME with `pulumi plugin install resource causeflow <version> --file`, and a YAML program
 * with no `plugins:` entry then runs the installed plugin against the emulator. And as a user of
 * a generated SDK meets it: the CLI downloads the archive by itself, from the SDK's
 * pluginDownloadURL, here a server on 127.0.0.1.
 */
import { execFile, execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { buildPluginBinary, tarballName, type BuiltPlugin } from "../../tools/release/pluginBinary";
import { generateSdks } from "../../tools/sdks";
import { CliWorkspace, describeWithCli, docSample, printed } from "../support/cli/workspace";
import { CLI_SUPPORT } from "../support/cli/pinnedCli";
import { GoHarness, programBody } from "../support/cli/goHarness";
import { REQUIREMENTS } from "../support/cli/virtualenv";

const { version } = require("@causeflow/pulumi/package.json") as { version: string };

/** Serves a folder's files over HTTP on 127.0.0.1, as a release's download site; records each path asked for. */
async function serveFolder(folder: string): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname.slice(1));
    asked.push(name);
    const file = path.join(folder, path.basename(name));
    if (!existsSync(file)) return void response.writeHead(404).end();
    // The CLI refuses a download without its length ("expected -1 bytes"): release sites send it.
    response.writeHead(200, { "content-type": "application/gzip", "content-length": statSync(file).size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

/** The first bytes of a file: an executable's magic number. */
function magic(file: string): string {
  const bytes = Buffer.alloc(4);
  const fd = openSync(file, "r");
  readSync(fd, bytes, 0, 4, 0);
  closeSync(fd);
  return bytes.toString("latin1");
}

describeWithCli()("the plugin as a release ships it", () => {
  /** One build, for both ways the CLI gets it: installed from the archive, and downloaded. */
  let built: BuiltPlugin;
  beforeAll(() => {
    built = buildPluginBinary(mkdtempSync(path.join(tmpdir(), "cf-plugin-release-")), () => undefined);
  }, 180_000);
  afterAll(() => {
    if (built) rmSync(path.dirname(built.tarball), { recursive: true, force: true });
  });

  describe("the plugin as one executable, installed from its archive by the Pulumi CLI", () => {
    let emulator: RunningEmulator;
    let workspace: CliWorkspace;

    beforeAll(async () => {
      emulator = await startEmulator();
      workspace = new CliWorkspace("cf-cli-binary-");
    }, 60_000);
    afterAll(async () => {
      workspace?.close();
      await emulator?.close();
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

  describe("the plugin fetched by the Pulumi CLI itself, from a generated SDK's pluginDownloadURL", () => {
    const run = promisify(execFile);
    let emulator: RunningEmulator;
    let site: Awaited<ReturnType<typeof serveFolder>>;
    const workspaces: CliWorkspace[] = [];

    beforeAll(async () => {
      site = await serveFolder(path.dirname(built.tarball));
      emulator = await startEmulator();
    }, 60_000);
    afterAll(async () => {
      for (const workspace of workspaces) workspace.close();
      await emulator?.close();
      await new Promise((resolve) => site?.server.close(resolve));
    });

    /**
     * A workspace with an empty PULUMI_HOME, the SDK for `language` built for the local site (as a
     * release builds SDKs for a mirror), and the environment of a run on a machine without Node.js:
     * PATH an empty folder (the CLI is reached by its full path), automatic plugin acquisition on.
     */
    function freshMachine(language: "python" | "go") {
      site.asked.length = 0;
      const workspace = new CliWorkspace(`cf-cli-download-${language}-`);
      workspaces.push(workspace);
      const sdk = generateSdks({ out: path.join(workspace.home, "sdk"), pluginDownloadURL: site.url, languages: [language], log: () => undefined });
      const noTools = path.join(workspace.home, "empty-path");
      mkdirSync(noTools);
      const env = { PATH: noTools, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false" };
      const pluginDir = path.join(workspace.env.PULUMI_HOME, "plugins", `resource-causeflow-v${version}`);
      expect(existsSync(pluginDir)).toBe(false);
      return { workspace, sdk: path.join(sdk, language), env, pluginDir };
    }

    /** The CLI asked the site for this platform's archive, once, installed the executable, and the program created the sample's tenant. */
    function expectFetchedAndCreated(pluginDir: string, slug: string, result: { summary: { outputs?: Record<string, unknown> }; printed: string }) {
      expect(site.asked).toEqual([tarballName(version)]);
      expect(magic(path.join(pluginDir, "pulumi-resource-causeflow"))).toBe("\x7fELF");
      expect(result.printed).not.toContain("from $PATH");
      expect(result.summary.outputs?.tenantId).toBe(emulator.store.findBySlug(slug)?.tenantId);
    }

    it("a Python program, from the SDK's wheel in a fresh virtualenv, gets the plugin on its first `pulumi up`", async () => {
      const { workspace, sdk, env, pluginDir } = freshMachine("python");
      // As pip installs it: a wheel, in a fresh virtualenv, its dependencies from PyPI (Pulumi's at the journeys' pin).
      const wheels = path.join(workspace.home, "wheels");
      await run("python3", ["-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps", "--wheel-dir", wheels, sdk]);
      const venv = path.join(workspace.home, "venv");
      await run("python3", ["-m", "venv", venv]);
      const python = path.join(venv, "bin", "python");
      const [wheel] = readdirSync(wheels);
      await run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", REQUIREMENTS, path.join(wheels, wheel)]);
      const program = path.join(workspace.home, "__main__.py");
      writeFileSync(program, docSample("docs/_index.md", "python", "# Python").replace('"acme-corp"', '"py-fetched"'));

      const result = await workspace.runHarness(python, [path.join(CLI_SUPPORT, "python", "run.py"), "up", program], "py-download", emulator, env);
      expectFetchedAndCreated(pluginDir, "py-fetched", result);
    }, 600_000);

    it("a Go program, built with the SDK's module, gets the plugin on its first `pulumi up`", async () => {
      const { workspace, sdk, env, pluginDir } = freshMachine("go");
      const harness = await GoHarness.create(path.join(workspace.home, "program"), sdk);
      await harness.build(programBody(docSample("docs/_index.md", "go", "// Go")).replace('"acme-corp"', '"go-fetched"'));

      const result = await workspace.runHarness(harness.executable, ["up"], "go-download", emulator, env);
      expectFetchedAndCreated(pluginDir, "go-fetched", result);
    }, 600_000);
  });
});
