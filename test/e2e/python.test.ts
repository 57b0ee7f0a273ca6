/**
 * Journey 3: the Python sample of docs/_index.md, with the plugin's committed Python SDK (sdk/python)
 * and `pulumi` from PyPI in a virtualenv, through the real Pulumi CLI against the emulator
 * (docSampleJourney.ts). The program runs through Pulumi's Python Automation API (python/run.py says why).
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, docSample } from "../support/cli/workspace";
import { itRunsTheDocSample } from "../support/cli/docSampleJourney";
import { CLI_SUPPORT } from "../support/cli/pinnedCli";
import { pythonWithPulumi } from "../support/cli/virtualenv";

describeWithCli()("the overview's Python sample with the plugin's SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let python: string;
  const program = () => path.join(workspace.home, "__main__.py");
  const run = (operation: "up" | "preview") =>
    workspace.runHarness(python, [path.join(CLI_SUPPORT, "python", "run.py"), operation, program()], "py-causeflow", emulator, {
      PYTHONPATH: path.join(workspace.home, "site-packages"),
    });

  beforeAll(async () => {
    python = pythonWithPulumi();
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-python-");
    // Installed as pip installs it from an index, metadata and all: the SDK reads its own version.
    const sdk = workspace.committedSdk("python");
    await promisify(execFile)(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", path.join(workspace.home, "site-packages"), sdk]);
    writeFileSync(program(), docSample("docs/_index.md", "python", "# Python"));
  }, 300_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  itRunsTheDocSample("py", () => ({
    emulator,
    run,
    rename: async () => writeFileSync(program(), readFileSync(program(), "utf8").replace('name="Acme Corp"', 'name="Acme Corporation"')),
    addImported: async (slug, id) =>
      writeFileSync(
        program(),
        readFileSync(program(), "utf8") +
          `\nlegacy = causeflow.Tenant("legacy", name="Legacy Inc", slug="${slug}", owner_email="it@legacy.example", plan="business",\n    opts=pulumi.ResourceOptions(import_="${id}"))\n`,
      ),
  }));
});
