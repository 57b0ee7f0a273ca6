/**
 * Journey 3: the README's Python program, with the plugin's Python SDK (generated from its schema)
 * and `pulumi` from PyPI in a virtualenv, through the real Pulumi CLI against the emulator: up,
 * a preview with no changes, and an update. The program runs through Pulumi's Python Automation
 * API (python/run.py says why).
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { CauseFlowClient } from "../../provider/client";
import { CliWorkspace, describeWithCli, readmeSample } from "./cli";

const REQUIREMENTS = path.join(__dirname, "python", "requirements.txt");

/** A virtualenv with test/cli/python/requirements.txt, in a cache folder outside the repository keyed by that file. */
function pythonWithPulumi(): string {
  const key = createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex").slice(0, 16);
  const cacheRoot = process.env.CAUSEFLOW_PULUMI_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "causeflow");
  const venv = path.join(cacheRoot, `python-${key}`);
  const python = path.join(venv, "bin", "python");
  if (existsSync(path.join(venv, "complete"))) return python;
  process.stderr.write(`creating a virtualenv with test/cli/python/requirements.txt in ${venv} (once)\n`);
  rmSync(venv, { recursive: true, force: true });
  execFileSync("python3", ["-m", "venv", venv]);
  execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS], { stdio: "inherit" });
  writeFileSync(path.join(venv, "complete"), "");
  return python;
}

describeWithCli()("the README's Python program with the plugin's SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let python: string;
  const program = () => path.join(workspace.home, "__main__.py");
  /** Runs python/run.py on the program; its JSON summary, and everything it printed. */
  async function run(operation: "up" | "preview"): Promise<{ summary: { outputs?: Record<string, unknown>; changes: Record<string, number> }; printed: string }> {
    const { stdout, stderr } = await promisify(execFile)(python, [path.join(__dirname, "python", "run.py"), operation, program()], {
      env: {
        ...workspace.env,
        PATH: `${workspace.pluginFolder()}${path.delimiter}${workspace.env.PATH}`,
        PYTHONPATH: path.join(workspace.home, "site-packages"),
        PROJECT: "py-causeflow",
        STACK: "dev",
        WORK_DIR: path.join(workspace.home, "py-causeflow"),
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
    python = pythonWithPulumi();
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-python-");
    // Installed as pip installs it from an index, metadata and all: the SDK reads its own version.
    const sdks = await workspace.generatedSdks("python");
    await promisify(execFile)(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", path.join(workspace.home, "site-packages"), path.join(sdks, "python")]);
    mkdirSync(path.join(workspace.home, "py-causeflow"));
    writeFileSync(program(), readmeSample("python", "# Python"));
  }, 300_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("creates the README's tenant with `pulumi up`, then previews no changes", async () => {
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
    writeFileSync(program(), readFileSync(program(), "utf8").replace('name="Acme Corp"', 'name="Acme Corporation"'));
    emulator.journal.length = 0;
    const up = await run("up");
    expect(up.summary.changes).toMatchObject({ update: 1 });
    expect(emulator.journal.filter((entry) => entry.method !== "GET")).toEqual([{ method: "PATCH", path: expect.any(String), body: { name: "Acme Corporation" } }]);
    expect(emulator.store.size).toBe(1);
  }, 300_000);

  it("imports a tenant made by hand by id with the `import_` resource option, and then previews no changes", async () => {
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    const made = await client.createTenant({ name: "Legacy Inc", slug: "py-legacy", ownerEmail: "it@legacy.example", plan: "business" });
    await client.close();
    const legacy = `\nlegacy = causeflow.Tenant("legacy", name="Legacy Inc", slug="py-legacy", owner_email="it@legacy.example", plan="business",\n    opts=pulumi.ResourceOptions(import_="${made.tenantId}"))\n`;
    writeFileSync(program(), readFileSync(program(), "utf8") + legacy);
    emulator.journal.length = 0;
    const up = await run("up");
    expect(up.summary.changes).toMatchObject({ import: 1 });
    expect((await run("preview")).summary.changes).toEqual({ same: 3 });
    expect(emulator.journal.filter((entry) => entry.method !== "GET")).toEqual([]);
  }, 300_000);
});
