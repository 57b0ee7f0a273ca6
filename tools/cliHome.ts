/**
 * A Pulumi home and a `file://` backend of their own, in a temporary folder, for the pinned CLI:
 * every run under lifeline, so that nothing it starts (language hosts, plugins) outlives the
 * process that asked, even one killed mid-run. The end-to-end journeys and the CLI benchmark both
 * run the engine this way.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "./emulator/server";
import { PACKAGE_ROOT } from "./packageRoot";
import type { PinnedCli } from "./pinnedCli";

export class CliHome {
  readonly home: string;
  /** A folder whose bin/pulumi is this CLI under lifeline, for the Automation API, which takes a root folder. */
  readonly commandRoot: string;
  /** The environment every `pulumi` runs with (this process's, less its CAUSEFLOW_ and PULUMI_ settings); a caller may add to it before a run. */
  readonly env: Record<string, string>;
  protected readonly cli: PinnedCli;

  /** `globalFlags` go before every command's arguments: flags the Automation API has no option for (`--profiling=…`). */
  constructor(prefix: string, cli: PinnedCli, globalFlags: string[] = []) {
    this.cli = cli;
    this.home = mkdtempSync(path.join(tmpdir(), prefix));
    mkdirSync(path.join(this.home, "backend"));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(CAUSEFLOW_|PULUMI_)/.test(entry[0])),
    );
    this.env = {
      ...inherited,
      PATH: `${cli.bin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.home, ".pulumi"),
      PULUMI_BACKEND_URL: `file://${path.join(this.home, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "causeflow-local",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    };
    this.commandRoot = path.join(this.home, "cli");
    mkdirSync(path.join(this.commandRoot, "bin"), { recursive: true });
    const command = [cli.lifeline, cli.pulumi, ...globalFlags].filter(Boolean).map((part) => JSON.stringify(part)).join(" ");
    writeFileSync(path.join(this.commandRoot, "bin", "pulumi"), `#!/bin/sh\nexec ${command} "$@"\n`, { mode: 0o755 });
  }

  /**
   * A stack whose program runs in this process (the Automation API's inline program), driven by
   * the same CLI: Pulumi's own language runtime server stands in for the nodejs language host,
   * which is not published as a Go module. Its folder has `node_modules` (by default a link to this
   * package's), as a user's project has its own, so the engine's dynamic provider finds
   * @pulumi/pulumi and @causeflow/pulumi there. Its config points at the emulator, its admin token a secret.
   */
  async inlineStack(project: string, stackName: string, program: PulumiFn, emulator: RunningEmulator, nodeModules = path.join(PACKAGE_ROOT, "node_modules")): Promise<Stack> {
    const workDir = path.join(this.home, project);
    mkdirSync(workDir, { recursive: true });
    try {
      symlinkSync(nodeModules, path.join(workDir, "node_modules"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pulumiCommand = await PulumiCommand.get({ root: this.commandRoot, skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: project, stackName, program },
      { workDir, pulumiHome: this.env.PULUMI_HOME, envVars: this.env, pulumiCommand },
    );
    await stack.setConfig("causeflow:apiUrl", { value: emulator.url });
    await stack.setConfig("causeflow:apiToken", { value: emulator.adminToken, secret: true });
    return stack;
  }

  /**
   * A folder holding the plugin as `npm install -g @causeflow/pulumi` installs it, a link named
   * pulumi-resource-causeflow to the package's bin entry: for a project's `plugins:` entry, or PATH.
   */
  pluginFolder(): string {
    const folder = path.join(this.home, "plugin");
    const { bin } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    const entry = path.join(PACKAGE_ROOT, bin["pulumi-resource-causeflow"]);
    if (!existsSync(folder)) {
      mkdirSync(folder);
      chmodSync(entry, 0o755);
      symlinkSync(entry, path.join(folder, "pulumi-resource-causeflow"));
    }
    return folder;
  }

  /** Removes the folder; stacks go with their backend inside it. */
  close(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
