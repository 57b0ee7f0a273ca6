/**
 * Fleets through the real engine (issue 19): the pinned Pulumi CLI on a local `file://` backend
 * against the emulator with its rate limit on, for each provider and fleet size, through the
 * operations a platform team runs. The program is the same TypeScript program for every provider
 * (the Automation API's inline program, in this process), so that only the provider differs:
 * - `dynamic`: `causeflow.Tenant`;
 * - `plugin`: the plugin's Tenant, registered as its generated SDK registers it;
 * - `floor`: a dynamic provider that only sends the requests (floorProvider.ts), the least any
 *   dynamic provider pays for the engine and the dynamic host.
 * Each operation's wall time, and of the CLI and the provider's processes their CPU time and peak
 * memory (sampled from /proc), the bytes the CLI wrote (the checkpoint, mostly) and the state file's size.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { Tenant } from "../../sdk/dynamic";
import { PluginTenant } from "../engine-model/pluginTenant";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { PACKAGE_ROOT } from "../packageRoot";
import { descendantsOf } from "../processTree";

export const CLI_PROVIDERS = ["floor", "dynamic", "plugin"] as const;
export type CliProvider = (typeof CLI_PROVIDERS)[number];
export const CLI_OPERATIONS = ["up: create", "preview: no change", "preview: one renamed", "up: no change", "refresh", "up: rename all"] as const;
export type CliOperation = (typeof CLI_OPERATIONS)[number];

export interface ProcessCost {
  cpuSeconds: number;
  peakMiB: number;
}

export interface OperationCost {
  wallSeconds: number;
  cli: ProcessCost & { wroteMiB: number };
  provider: ProcessCost;
  stateMiB: number;
  requests: number;
  rateLimited: number;
}

export interface CliFleetOptions {
  sizes: number[];
  providers: CliProvider[];
  rateLimitPerMinute: number;
  /** The engine's --parallel, or undefined for its default. */
  parallel?: number;
}

export type CliFleetResults = Record<CliProvider, Record<number, Partial<Record<CliOperation, OperationCost>>>>;

/** The folder of the pinned CLI (tools/pulumi/build.sh), or a reason there is none. */
function pinnedCli(): { bin: string } {
  const where = spawnSync("bash", [path.join(PACKAGE_ROOT, "tools", "pulumi", "build.sh"), "--where"], { encoding: "utf8" });
  if (where.status !== 0) throw new Error("the pinned Pulumi CLI is not built: run `bash tools/pulumi/build.sh` (it needs Go)");
  return { bin: where.stdout.trim() };
}

/** What the program registers: `size` tenants of one provider, named as `renamed` says. */
interface Fleet {
  provider: CliProvider;
  size: number;
  renamed: "none" | "one" | "all";
}

const FLOOR_PROVIDER = `exports.handler=()=>require(${JSON.stringify(path.join(PACKAGE_ROOT, "dist", "tools", "bench", "floorProvider.js"))}).floorProvider;`;

/** A dynamic resource whose provider is the floor, registered as `pulumi.dynamic.Resource` registers one. */
class FloorTenant extends pulumi.CustomResource {
  constructor(name: string, args: Record<string, string>) {
    super("pulumi-nodejs:dynamic:Resource", name, { __provider: FLOOR_PROVIDER, ...args, tenantId: undefined });
  }
}

function program(fleet: Fleet): () => void {
  return () => {
    for (let i = 0; i < fleet.size; i++) {
      const renamed = fleet.renamed === "all" || (fleet.renamed === "one" && i === 0);
      const args = { name: `Fleet ${i}${renamed ? " v2" : ""}`, slug: `${fleet.provider}-${i}`, ownerEmail: "o@fleet.example" };
      if (fleet.provider === "dynamic") new Tenant(`t${i}`, args);
      else if (fleet.provider === "plugin") new PluginTenant(`t${i}`, args);
      else new FloorTenant(`t${i}`, args);
    }
  };
}

/** Samples, every 100 ms, the CPU time, peak memory and bytes written of the processes below this one. */
class ProcessSampler {
  readonly #seen = new Map<number, { command: string; cpuTicks: number; peakKiB: number; wroteBytes: number }>();
  readonly #timer = setInterval(() => this.sample(), 100);

  sample(): void {
    for (const pid of descendantsOf(process.pid)) {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
        // A process that has ended but not been collected has no command line left: keep its last sample.
        if (command === "") continue;
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const cpuTicks = Number(fields[11]) + Number(fields[12]);
        const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        const wroteBytes = Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0);
        this.#seen.set(pid, { command, cpuTicks, peakKiB, wroteBytes });
      } catch {
        // ended while being read
      }
    }
  }

  /** The totals of the processes `which` picks by command line: CPU and bytes summed, memory the highest. */
  of(which: (command: string) => boolean): ProcessCost & { wroteMiB: number } {
    const matching = [...this.#seen.values()].filter((process) => which(process.command));
    return {
      // Linux's clock ticks are 1/100 s.
      cpuSeconds: matching.reduce((sum, process) => sum + process.cpuTicks, 0) / 100,
      peakMiB: Math.max(0, ...matching.map((process) => process.peakKiB)) / 1024,
      wroteMiB: matching.reduce((sum, process) => sum + process.wroteBytes, 0) / 2 ** 20,
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

/**
 * The CLI running the operation: not lifeline, whose command line names it too, nor the
 * `pulumi stack output` and `stack history` the Automation API runs after an update.
 */
const isCli = (command: string) => {
  const [executable, verb] = command.split(" ");
  return path.basename(executable) === "pulumi" && ["up", "preview", "refresh"].includes(verb);
};
/** The plugin, or the host of dynamic providers (not the `node -p` that finds the host's script). */
const isProvider = (command: string) => /^\S*node \S*(pulumi-resource-causeflow|\/dynamic-provider\/index\.js) /.test(command);

/** Runs every provider at every size, each in a fresh home, backend and emulator; `progress` hears each step. */
export async function measureCliFleets(options: CliFleetOptions, progress: (line: string) => void): Promise<CliFleetResults> {
  const { bin } = pinnedCli();
  const results = Object.fromEntries(options.providers.map((provider) => [provider, {}])) as CliFleetResults;
  for (const size of options.sizes) {
    for (const provider of options.providers) {
      results[provider][size] = await measureOne(bin, { provider, size, renamed: "none" }, options, (operation, seconds) =>
        progress(`${provider}, ${size} tenants: ${operation} in ${seconds.toFixed(1)} s`),
      );
    }
  }
  return results;
}

async function measureOne(
  bin: string,
  fleet: Fleet,
  options: CliFleetOptions,
  done: (operation: CliOperation, seconds: number) => void,
): Promise<Partial<Record<CliOperation, OperationCost>>> {
  const home = mkdtempSync(path.join(tmpdir(), "cf-bench-cli-"));
  const emulator = await startEmulator({ rateLimitPerMinute: options.rateLimitPerMinute });
  try {
    const stack = await fleetStack(bin, home, fleet, emulator);
    const costs: Partial<Record<CliOperation, OperationCost>> = {};
    const parallel = options.parallel;
    const operations: [CliOperation, Fleet["renamed"], () => Promise<unknown>][] = [
      ["up: create", "none", () => stack.up({ parallel })],
      ["preview: no change", "none", () => stack.preview({ parallel })],
      ["preview: one renamed", "one", () => stack.preview({ parallel })],
      ["up: no change", "none", () => stack.up({ parallel })],
      ["refresh", "none", () => stack.refresh({ parallel })],
      ["up: rename all", "all", () => stack.up({ parallel })],
    ];
    for (const [operation, renamed, run] of operations) {
      fleet.renamed = renamed;
      costs[operation] = await measureOperation(run, emulator, home);
      done(operation, costs[operation].wallSeconds);
    }
    return costs;
  } finally {
    await emulator.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function measureOperation(run: () => Promise<unknown>, emulator: RunningEmulator, home: string): Promise<OperationCost> {
  const requestsBefore = Object.values(emulator.stats.answers).reduce((sum, count) => sum + count, 0);
  const rateLimitedBefore = emulator.stats.answers["429"] ?? 0;
  const sampler = new ProcessSampler();
  const started = performance.now();
  try {
    await run();
  } finally {
    sampler.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { cpuSeconds, peakMiB, wroteMiB } = sampler.of(isCli);
  const providerCost = sampler.of(isProvider);
  return {
    wallSeconds,
    cli: { cpuSeconds, peakMiB, wroteMiB },
    provider: { cpuSeconds: providerCost.cpuSeconds, peakMiB: providerCost.peakMiB },
    stateMiB: stateFileBytes(home) / 2 ** 20,
    requests: Object.values(emulator.stats.answers).reduce((sum, count) => sum + count, 0) - requestsBefore,
    rateLimited: (emulator.stats.answers["429"] ?? 0) - rateLimitedBefore,
  };
}

/** The stack `bench/dev` in a Pulumi home and backend of its own, its program `fleet`, pointing at the emulator. */
async function fleetStack(bin: string, home: string, fleet: Fleet, emulator: RunningEmulator): Promise<Stack> {
  const workDir = path.join(home, "project");
  mkdirSync(path.join(home, "backend"), { recursive: true });
  mkdirSync(workDir, { recursive: true });
  // The dynamic host resolves `__provider`'s requires from the project, as in a user's project.
  symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(workDir, "node_modules"));
  // The plugin as `npm install -g` installs it, found on PATH.
  const pluginFolder = path.join(home, "plugin");
  mkdirSync(pluginFolder);
  const { bin: commands } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
  const plugin = path.join(PACKAGE_ROOT, commands["pulumi-resource-causeflow"]);
  chmodSync(plugin, 0o755);
  symlinkSync(plugin, path.join(pluginFolder, "pulumi-resource-causeflow"));
  // The CLI under lifeline, so that nothing it starts outlives this process.
  const commandRoot = path.join(home, "cli");
  mkdirSync(path.join(commandRoot, "bin"), { recursive: true });
  writeFileSync(path.join(commandRoot, "bin", "pulumi"), `#!/bin/sh\nexec ${JSON.stringify(path.join(bin, "lifeline"))} ${JSON.stringify(path.join(bin, "pulumi"))} "$@"\n`, { mode: 0o755 });
  const env = {
    PATH: `${pluginFolder}${path.delimiter}${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(home, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${path.join(home, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "causeflow-bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
  };
  const pulumiCommand = await PulumiCommand.get({ root: commandRoot, skipVersionCheck: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: "bench", stackName: "dev", program: async () => program(fleet)() },
    { workDir, pulumiHome: env.PULUMI_HOME, envVars: env, pulumiCommand },
  );
  await stack.setConfig("causeflow:apiUrl", { value: emulator.url });
  await stack.setConfig("causeflow:apiToken", { value: emulator.adminToken, secret: true });
  return stack;
}

/** The size of the stack's state file in the backend, in bytes. */
function stateFileBytes(home: string): number {
  const stacks = path.join(home, "backend", ".pulumi", "stacks", "bench");
  const file = path.join(stacks, "dev.json");
  return existsSync(file) ? statSync(file).size : 0;
}
