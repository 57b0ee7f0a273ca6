/**
 * The real Pulumi CLI for the end-to-end journeys (found by pinnedCli.ts), run on a local backend
 * in a Pulumi home of its own (tools/cliHome.ts). Without a CLI the journeys skip (jest's global
 * setup says which, and why, in one line); under CI=true a missing CLI fails them.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { CliHome } from "../../../tools/cliHome";
import type { RunningEmulator } from "../../../tools/emulator/server";
import { CauseFlowClient } from "../../../provider/client/client";
import { cli, cliMissing } from "./pinnedCli";
import { REPO_ROOT } from "../repo";

export { cli, describeWithCli } from "./pinnedCli";

export const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/** What a harness run printed, and its summary: the stack's outputs after an update, and the changes by kind. */
export interface HarnessResult {
  summary: { outputs?: Record<string, unknown>; changes: Record<string, number> };
  printed: string;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Pulumi home and a `file://` backend of their own (tools/cliHome.ts), for one test file, with what the journeys do there. */
export class CliWorkspace extends CliHome {
  constructor(prefix: string) {
    if (!cli) throw new Error(`no Pulumi CLI: ${cliMissing}`);
    super(prefix, cli);
  }

  /** The command line of `pulumi <args> --non-interactive`, under lifeline. */
  command(args: string[]): { file: string; args: string[] } {
    const [file, ...prefix] = this.cli.lifeline ? [this.cli.lifeline, this.cli.pulumi] : [this.cli.pulumi];
    return { file, args: [...prefix, ...args, "--non-interactive"] };
  }

  /** Runs `pulumi <args> --non-interactive` in `cwd`; resolves with its exit code and output, whatever the code. */
  run(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const command = this.command(args);
    return new Promise((resolve) => {
      execFile(
        command.file,
        command.args,
        { cwd, env: { ...this.env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }),
      );
    });
  }

  /** Runs `pulumi <args>` and fails, with everything it printed, unless it exits 0. */
  async pulumi(cwd: string, ...args: string[]): Promise<CliResult> {
    const result = await this.run(cwd, args);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /**
   * A copy of the plugin's committed SDK for `language` (sdk/<language>, which an end-to-end test
   * holds equal to what the pinned generators make of the schema), to build in without touching the
   * repository: sdks/<language>.
   */
  committedSdk(language: string): string {
    const copy = path.join(this.home, "sdks", language);
    cpSync(path.join(REPO_ROOT, "sdk", language), copy, { recursive: true });
    return copy;
  }

  /**
   * Runs a harness that drives a program of another language through the Automation API
   * (python/run.py, go/main.go.tmpl) with `operation`, on the stack `project`/dev against
   * `emulator`, the plugin on PATH unless `env` gives a PATH; its last line is a JSON summary.
   */
  async runHarness(command: string, args: string[], project: string, emulator: RunningEmulator, env: Record<string, string> = {}): Promise<HarnessResult> {
    const workDir = path.join(this.home, project);
    mkdirSync(workDir, { recursive: true });
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      env: {
        ...this.env,
        PATH: `${this.pluginFolder()}${path.delimiter}${this.env.PATH}`,
        ...env,
        PROJECT: project,
        STACK: "dev",
        WORK_DIR: workDir,
        PULUMI_ROOT: this.commandRoot,
        API_URL: emulator.url,
        API_TOKEN: emulator.adminToken,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trimEnd().split("\n");
    return { summary: JSON.parse(lines[lines.length - 1]), printed: `${stdout}\n${stderr}` };
  }

  /**
   * A YAML project `name` in a folder of that name: Pulumi.yaml with a `plugins:` entry naming the
   * plugin's folder (unless `installed`: the plugin the CLI has installed), then `body` (config,
   * resources, variables, outputs). Rewritten on each call.
   */
  yamlProject(name: string, body: string, plugin: "folder" | "installed" = "folder"): string {
    const dir = path.join(this.home, name);
    mkdirSync(dir, { recursive: true });
    const plugins = plugin === "folder" ? `plugins:\n  providers:\n    - name: causeflow\n      path: ${this.pluginFolder()}\n` : "";
    writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: yaml\n${plugins}${body}`);
    return dir;
  }

  /**
   * A YAML project `name` declaring a fleet of `size` plugin tenants, t0, t1, … with slugs
   * `<slugPrefix>-0`, `<slugPrefix>-1`, …, and its stack `dev` pointing at the emulator.
   */
  async fleetProject(name: string, size: number, slugPrefix: string, emulator: RunningEmulator): Promise<string> {
    const project = this.yamlProject(name, fleetResources(size, slugPrefix));
    await this.initStack(project, "dev", emulator);
    return project;
  }

  /** `pulumi stack init` in `cwd`, with the stack's config pointing at the emulator, its admin token a secret. */
  async initStack(cwd: string, stack: string, emulator: RunningEmulator): Promise<void> {
    await this.pulumi(cwd, "stack", "init", stack);
    await this.pulumi(cwd, "config", "set", "causeflow:apiUrl", emulator.url);
    await this.pulumi(cwd, "config", "set", "--secret", "causeflow:apiToken", emulator.adminToken);
  }

}

/**
 * A YAML program's `resources:` for a fleet of `size` plugin tenants, t0, t1, … with slugs
 * `<slugPrefix>-0`, `<slugPrefix>-1`, …, named by `name` (`Fleet 0`, … unless given).
 */
export function fleetResources(size: number, slugPrefix: string, name = (i: number) => `Fleet ${i}`): string {
  const tenants = Array.from(
    { length: size },
    (_, i) => `  t${i}:\n    type: causeflow:index:Tenant\n    properties:\n      name: ${name(i)}\n      slug: ${slugPrefix}-${i}\n      ownerEmail: o@fleet.example\n`,
  );
  return `resources:\n${tenants.join("")}`;
}

/** The requests that write (POST, PATCH) the emulator received, oldest first. */
export function writesTo(emulator: RunningEmulator): RunningEmulator["journal"] {
  return emulator.journal.filter((entry) => entry.method !== "GET");
}

/** Everything a run printed, for assertions about what the user sees. */
export function printed(result: { stdout: string; stderr: string }): string {
  return `${result.stdout}\n${result.stderr}`;
}

/**
 * A code sample of a page of the documentation (`README.md`, `docs/_index.md`): the fenced block of
 * `language` whose first line starts with `firstLine` (`# Python`, `// Go`), that line included.
 * What the journeys run, so that what users copy is what was tested.
 */
export function docSample(page: string, language: string, firstLine: string): string {
  const text = readFileSync(path.join(REPO_ROOT, page), "utf8");
  const start = text.indexOf("```" + language + "\n" + firstLine);
  if (start < 0) throw new Error(`${page} has no ${language} sample starting with ${JSON.stringify(firstLine)}`);
  const body = text.indexOf("\n", start) + 1;
  return text.slice(body, text.indexOf("```", body));
}

/** A tenant made in CauseFlow outside any stack, as one a team made by hand before adopting Pulumi; its id. */
export async function tenantMadeByHand(emulator: RunningEmulator, slug: string): Promise<string> {
  const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
  try {
    return (await client.createTenant({ name: "Legacy Inc", slug, ownerEmail: "it@legacy.example", plan: "business" })).tenantId;
  } finally {
    await client.close();
  }
}

/**
 * A TypeScript program in a folder of its own, its node_modules linking the given packages:
 * compiled with tsc (strict) against them, then run afresh at each operation (runFresh).
 */
export class TypeScriptProgram {
  constructor(
    readonly dir: string,
    packages: Record<string, string>,
  ) {
    for (const [name, folder] of Object.entries(packages)) {
      mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
      symlinkSync(folder, path.join(dir, "node_modules", name));
    }
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", outDir: "bin", types: ["node"] }, files: ["index.ts"] }),
    );
  }

  async compile(source: string): Promise<void> {
    writeFileSync(path.join(this.dir, "index.ts"), source);
    await promisify(execFile)(process.execPath, [TSC], { cwd: this.dir });
  }

  /** Runs the compiled program; its exports, which become the stack's outputs. */
  run(): Record<string, unknown> {
    return runFresh(path.join(this.dir, "bin", "index.js"));
  }
}

/**
 * Runs a compiled CommonJS program afresh, as the language host runs it at each operation: jest's
 * module registry would hand back the first run's module, and with it the first run's resources.
 * Its packages resolve from its own folder; a default-exported function is called, as the nodejs
 * host calls it. Its exports, which become the stack's outputs.
 */
export function runFresh(entry: string): Record<string, unknown> {
  const folder = path.dirname(entry);
  const load = (id: string) => require(id.startsWith(".") ? path.resolve(folder, id) : require.resolve(id, { paths: [folder] }));
  const module = { exports: {} as unknown };
  new Function("require", "module", "exports", readFileSync(entry, "utf8"))(load, module, module.exports);
  return typeof module.exports === "function" ? module.exports() : (module.exports as Record<string, unknown>);
}
