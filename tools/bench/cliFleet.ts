/**
 * Fleets through the real engine (issue 19): the pinned Pulumi CLI on a local `file://` backend
 * against the emulator with its rate limit on, for each provider and fleet size, through the
 * operations a platform team runs. The program is the same TypeScript program for every provider
 * (the Automation API's inline program, in this process), so that only the provider differs:
 * - `floor`: a dynamic provider that only sends the requests (floorProvider.ts), the least any
 *   dynamic provider pays for the engine and the dynamic host;
 * - `before`: `causeflow.Tenant` of an earlier git revision, the hand-written provider it was;
 * - `dynamic`: `causeflow.Tenant`;
 * - `plugin`: the plugin's Tenant, registered as its generated SDK registers it;
 * - `split`: `causeflow.Tenant`, the fleet split across stacks run side by side by the fleet
 *   example's runner (examples/typescript/fleet/stacks.ts), whose programs are its own.
 * Each operation's wall time, and of the CLI, the provider's processes and the program their CPU
 * time (the processes' sampled from /proc, with their peak memory), the bytes the CLI wrote (the
 * checkpoint, mostly) and the state files' size.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PulumiCommand, type LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { Tenant } from "../../sdk/dynamic";
import { CliHome } from "../cliHome";
import { PluginTenant } from "../engine-model/pluginTenant";
import { installRevision } from "../engine-model/revision";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { PACKAGE_ROOT } from "../packageRoot";
import { locateCli } from "../pinnedCli";
import { ProcessSampler } from "../processTree";
import { FLOOR_PROVIDER_TEXT } from "./floorProvider";

/** "before" needs `before`, the revision; "split" spreads the fleet over `splitStacks` stacks. */
export const CLI_PROVIDERS = ["floor", "before", "dynamic", "plugin", "split"] as const;
export type CliProvider = (typeof CLI_PROVIDERS)[number];
/** A provider's name in the tables and the chart. */
export function providerLabel(provider: CliProvider, options: Pick<CliFleetOptions, "before" | "splitStacks">): string {
  const labels: Record<CliProvider, string> = {
    floor: "floor",
    before: `before (${options.before})`,
    dynamic: "causeflow.Tenant",
    plugin: "plugin",
    split: `causeflow.Tenant, ${options.splitStacks} stacks`,
  };
  return labels[provider];
}
export const CLI_OPERATIONS = ["up: create", "preview: no change", "preview: one renamed", "up: no change", "refresh", "up: rename all"] as const;
export type CliOperation = (typeof CLI_OPERATIONS)[number];

export interface ProcessCost {
  cpuSeconds: number;
  peakMiB: number;
}

export interface OperationCost {
  /** The median run's, when there were several. */
  wallSeconds: number;
  /** Every run's wall time, in the order they ran. */
  wallSecondsRuns: number[];
  cli: ProcessCost & { wroteMiB: number };
  provider: ProcessCost;
  /** This process's CPU time: the inline program the language runtime runs here, and the sampling. */
  programCpuSeconds: number;
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
  /** The operations measured, in order: "up: create" first, which the others need. */
  operations: CliOperation[];
  /** Runs of each provider at each size; each operation's figures are its median run's. */
  runs: number;
  /** The largest size a provider is measured at, where it is not every size. */
  largest?: Partial<Record<CliProvider, number>>;
  /** A git revision whose `causeflow.Tenant` is the "before" provider (needed when `providers` names it). */
  before?: string;
  /** The stacks the "split" provider spreads the fleet over. */
  splitStacks: number;
  /** PULUMI_SKIP_CHECKPOINTS: the engine writes the state once, at the end, not after every step. */
  skipCheckpoints?: boolean;
  /** A folder for the CLI's CPU profiles (`--profiling`), one per provider, size and operation: <provider>-<size>-<operation>.cpu. */
  profiles?: string;
}

export type CliFleetResults = Record<CliProvider, Record<number, Partial<Record<CliOperation, OperationCost>>>>;

/** What the program registers: `size` tenants of one provider, named as `renamed` says. */
interface Fleet {
  provider: CliProvider;
  size: number;
  renamed: "none" | "one" | "all";
}

/** A dynamic resource whose provider is the floor, registered as `pulumi.dynamic.Resource` registers one. */
class FloorTenant extends pulumi.CustomResource {
  constructor(name: string, args: Record<string, string>) {
    super("pulumi-nodejs:dynamic:Resource", name, { __provider: FLOOR_PROVIDER_TEXT, ...args, tenantId: undefined });
  }
}

type TenantClass = new (name: string, args: { name: string; slug: string; ownerEmail: string }) => pulumi.CustomResource;

function program(fleet: Fleet, tenant: TenantClass): () => void {
  return () => {
    for (let i = 0; i < fleet.size; i++) {
      const renamed = fleet.renamed === "all" || (fleet.renamed === "one" && i === 0);
      new tenant(`t${i}`, { name: `Fleet ${i}${renamed ? " v2" : ""}`, slug: `${fleet.provider}-${i}`, ownerEmail: "o@fleet.example" });
    }
  };
}

/**
 * The CLI running the operation: not lifeline, whose command line names it too, nor the
 * `pulumi stack output` and `stack history` the Automation API runs after an update.
 */
const isCli = (command: string) => {
  const [executable, ...args] = command.split(" ");
  const verb = args.find((arg) => !arg.startsWith("-"));
  return path.basename(executable) === "pulumi" && ["up", "preview", "refresh"].includes(verb ?? "");
};
/** The plugin, or the host of dynamic providers (not the `node -p` that finds the host's script). */
const isProvider = (command: string) => /^\S*node \S*(pulumi-resource-causeflow|\/dynamic-provider\/index\.js) /.test(command);

/** Whether the run measures `provider` at `size`. */
export function measuredAt(options: Pick<CliFleetOptions, "largest">, provider: CliProvider, size: number): boolean {
  return size <= (options.largest?.[provider] ?? Infinity);
}

/** Runs every provider at every size, each run in a fresh home, backend and emulator; `progress` hears each step. */
export async function measureCliFleets(options: CliFleetOptions, progress: (line: string) => void): Promise<CliFleetResults> {
  const { cli, missing } = locateCli();
  if (!cli) throw new Error(`${missing}: the CLI benchmark runs the pinned CLI`);
  const scratch = mkdtempSync(path.join(tmpdir(), "cf-bench-cli-"));
  try {
    const providers = providerSetups(options, scratch, progress);
    const results = Object.fromEntries(options.providers.map((provider) => [provider, {}])) as CliFleetResults;
    for (const size of options.sizes) {
      const providersAtSize = options.providers.filter((provider) => measuredAt(options, provider, size));
      const runs = Object.fromEntries(providersAtSize.map((provider) => [provider, [] as Partial<Record<CliOperation, OperationCost>>[]]));
      // Run after run of every provider, rather than every run of one, so that a slow spell of the machine falls on all of them.
      for (let run = 1; run <= options.runs; run++) {
        for (const provider of providersAtSize) {
          const label = `${provider}, ${size} tenants${options.runs > 1 ? `, run ${run}/${options.runs}` : ""}`;
          const costs = await measureOne(new CliHome("cf-bench-cli-home-", cli, profilingArgs(options)), { provider, size, renamed: "none" }, providers[provider]!, options, (operation, seconds) =>
            progress(`${label}: ${operation} in ${seconds.toFixed(1)} s`),
          );
          runs[provider].push(costs);
        }
      }
      for (const provider of providersAtSize) results[provider][size] = medianRuns(runs[provider]);
    }
    return results;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Each operation's median run (the lower one of an even count), with every run's wall time. */
export function medianRuns(runs: Partial<Record<CliOperation, OperationCost>>[]): Partial<Record<CliOperation, OperationCost>> {
  const medians: Partial<Record<CliOperation, OperationCost>> = {};
  for (const operation of CLI_OPERATIONS) {
    const measured = runs.map((run) => run[operation]).filter((cost): cost is OperationCost => cost !== undefined);
    if (measured.length === 0) continue;
    const median = [...measured].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor((measured.length - 1) / 2)];
    medians[operation] = { ...median, wallSecondsRuns: measured.map((cost) => cost.wallSeconds) };
  }
  return medians;
}

/** Sets a provider's fleet up in a Pulumi home, pointing at the emulator; runs the CLI's commands on it. */
type FleetSetup = (home: CliHome, fleet: Fleet, options: CliFleetOptions, emulator: RunningEmulator) => Promise<(command: FleetOperation) => Promise<unknown>>;

function providerSetups(options: CliFleetOptions, scratch: string, progress: (line: string) => void): Partial<Record<CliProvider, FleetSetup>> {
  const ours = path.join(PACKAGE_ROOT, "node_modules");
  const setups: Partial<Record<CliProvider, FleetSetup>> = {
    floor: oneStack(FloorTenant, ours),
    dynamic: oneStack(Tenant, ours),
    plugin: oneStack(PluginTenant, ours),
  };
  if (options.providers.includes("before")) {
    if (!options.before) throw new Error("the provider `before` needs a git revision: --before <revision>, such as c0f31e6");
    progress(`building ${options.before} from git, for the before provider`);
    const { program } = installRevision(options.before, path.join(scratch, "before"));
    // That revision's @causeflow/pulumi beside this one's @pulumi, as a user's project with that version installed.
    symlinkSync(path.join(ours, "@pulumi"), path.join(program, "node_modules", "@pulumi"));
    const { Tenant: BeforeTenant } = require(path.join(program, "node_modules", "@causeflow", "pulumi")) as { Tenant: TenantClass };
    setups.before = oneStack(BeforeTenant, path.join(program, "node_modules"));
  }
  if (options.providers.includes("split")) setups.split = splitFleet(fleetStacksRunner(progress));
  return setups;
}

/** The CLI's flag for a CPU profile per run, written as <prefix>.<pid>.cpu; none unless asked. */
function profilingArgs(options: CliFleetOptions): string[] {
  if (!options.profiles) return [];
  mkdirSync(options.profiles, { recursive: true });
  return [`--profiling=${path.join(options.profiles, "cli")}`];
}

/** Each operation: the CLI's command, and which tenants are renamed in the program it runs. */
const OPERATION_STEPS: Record<CliOperation, [FleetOperation, Fleet["renamed"]]> = {
  "up: create": ["up", "none"],
  "preview: no change": ["preview", "none"],
  "preview: one renamed": ["preview", "one"],
  "up: no change": ["up", "none"],
  refresh: ["refresh", "none"],
  "up: rename all": ["up", "all"],
};

async function measureOne(
  home: CliHome,
  fleet: Fleet,
  setup: FleetSetup,
  options: CliFleetOptions,
  done: (operation: CliOperation, seconds: number) => void,
): Promise<Partial<Record<CliOperation, OperationCost>>> {
  const emulator = await startEmulator({ rateLimitPerMinute: options.rateLimitPerMinute });
  try {
    // The plugin as `npm install -g` installs it, found on PATH.
    home.env.PATH = `${home.pluginFolder()}${path.delimiter}${home.env.PATH}`;
    if (options.skipCheckpoints) home.env.PULUMI_SKIP_CHECKPOINTS = "true";
    const run = await setup(home, fleet, options, emulator);
    const costs: Partial<Record<CliOperation, OperationCost>> = {};
    for (const operation of options.operations) {
      const [command, renamed] = OPERATION_STEPS[operation];
      fleet.renamed = renamed;
      const { cost, cliPids } = await measureOperation(() => run(command), emulator, home.home);
      if (options.profiles) keepProfile(options.profiles, cliPids, `${fleet.provider}-${fleet.size}-${operation.replace(/\W+/g, "-")}`);
      costs[operation] = cost;
      done(operation, cost.wallSeconds);
    }
    return costs;
  } finally {
    await emulator.close();
    home.close();
  }
}

type FleetOperation = "up" | "preview" | "refresh";

/**
 * The fleet as one stack whose program is inline, in this process, registering `tenant`s; its
 * project's node_modules is `nodeModules`, whence the dynamic host loads a provider.
 */
function oneStack(tenant: TenantClass, nodeModules: string): FleetSetup {
  return async (home, fleet, options, emulator) => {
    const stack = await home.inlineStack("bench", "dev", async () => program(fleet, tenant)(), emulator, nodeModules);
    const { parallel } = options;
    return (command) => (command === "up" ? stack.up({ parallel }) : command === "preview" ? stack.preview({ parallel }) : stack.refresh({ parallel }));
  };
}

/** What the bench runs of the fleet example's runner (examples/typescript/fleet/stacks.ts): loaded from the example's build, as a user runs it. */
interface FleetStacksRunner {
  runFleetStacks(
    operation: FleetOperation,
    options: { projectDir: string; fleetsDir: string; parallel?: number; workspace?: Omit<LocalWorkspaceOptions, "workDir" | "program"> },
  ): Promise<{ stack: string; error?: string }[]>;
}

const FLEET_EXAMPLE = path.join(PACKAGE_ROOT, "examples", "typescript", "fleet");

/** Builds the fleet example (its `npm run build`: tsc into bin/) and loads its runner. */
function fleetStacksRunner(progress: (line: string) => void): FleetStacksRunner {
  progress("building examples/typescript/fleet, for the split fleet");
  execFileSync(process.execPath, [path.join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc")], { cwd: FLEET_EXAMPLE });
  return require(path.join(FLEET_EXAMPLE, "bin", "stacks.js")) as FleetStacksRunner;
}

/**
 * The fleet as the fleet example splits one: a fleet file per stack, `splitStacks` of them, run
 * side by side by its runner. Before each command the files are written as the fleet is named.
 */
function splitFleet(runner: FleetStacksRunner): FleetSetup {
  return async (home, fleet, options, emulator) => {
    const projectDir = path.join(home.home, "bench");
    const fleetsDir = path.join(projectDir, "fleets");
    mkdirSync(fleetsDir, { recursive: true });
    symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(projectDir, "node_modules"));
    writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: causeflow-fleet\nruntime: nodejs\n");
    // The providers read the API's address and token from the environment, which every stack shares.
    Object.assign(home.env, { CAUSEFLOW_API_URL: emulator.url, CAUSEFLOW_API_TOKEN: emulator.adminToken });
    const workspace = { pulumiHome: home.env.PULUMI_HOME, envVars: home.env, pulumiCommand: await PulumiCommand.get({ root: home.commandRoot, skipVersionCheck: true }) };
    return async (command) => {
      for (let stack = 0; stack < options.splitStacks; stack++) {
        const tenants = [];
        for (let i = stack; i < fleet.size; i += options.splitStacks) {
          const renamed = fleet.renamed === "all" || (fleet.renamed === "one" && i === 0);
          tenants.push({ slug: `split-${i}`, name: `Fleet ${i}${renamed ? " v2" : ""}`, ownerEmail: "o@fleet.example" });
        }
        writeFileSync(path.join(fleetsDir, `part-${stack}.json`), JSON.stringify({ tenants }));
      }
      const outcomes = await runner.runFleetStacks(command, { projectDir, fleetsDir, parallel: options.parallel, workspace });
      const failed = outcomes.filter((outcome) => outcome.error !== undefined);
      if (failed.length > 0) throw new Error(`${command} failed on ${failed.map((outcome) => `${outcome.stack}: ${outcome.error}`).join("; ")}`);
    };
  };
}

/** Names the CPU profile of the operation's CLI process, and removes the rest (traces, memory, the Automation API's other commands). */
function keepProfile(folder: string, cliPids: number[], name: string): void {
  for (const file of readdirSync(folder).filter((file) => file.startsWith("cli."))) {
    const [, pid, kind] = file.split(".");
    if (kind === "cpu" && cliPids.includes(Number(pid))) renameSync(path.join(folder, file), path.join(folder, `${name}.cpu`));
    else rmSync(path.join(folder, file), { force: true });
  }
}

async function measureOperation(run: () => Promise<unknown>, emulator: RunningEmulator, home: string): Promise<{ cost: OperationCost; cliPids: number[] }> {
  const requestsBefore = Object.values(emulator.stats.answers).reduce((sum, count) => sum + count, 0);
  const rateLimitedBefore = emulator.stats.answers["429"] ?? 0;
  const sampler = new ProcessSampler();
  const started = performance.now();
  const programCpu = process.cpuUsage();
  try {
    await run();
  } finally {
    sampler.stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(programCpu);
  const cli = sampler.of(isCli);
  const provider = sampler.of(isProvider);
  const cost: OperationCost = {
    wallSeconds,
    wallSecondsRuns: [wallSeconds],
    cli: { cpuSeconds: cli.cpuSeconds, peakMiB: cli.peakMiB, wroteMiB: cli.wroteMiB },
    provider: { cpuSeconds: provider.cpuSeconds, peakMiB: provider.peakMiB },
    programCpuSeconds: (user + system) / 1e6,
    stateMiB: stateFileBytes(home) / 2 ** 20,
    requests: Object.values(emulator.stats.answers).reduce((sum, count) => sum + count, 0) - requestsBefore,
    rateLimited: (emulator.stats.answers["429"] ?? 0) - rateLimitedBefore,
  };
  return { cost, cliPids: cli.pids };
}

/** The size of the state files of the project's stacks in the backend (one, or the split's), in bytes. */
function stateFileBytes(home: string): number {
  const stacks = path.join(home, "backend", ".pulumi", "stacks");
  if (!existsSync(stacks)) return 0;
  return readdirSync(stacks)
    .flatMap((project) => readdirSync(path.join(stacks, project)).filter((file) => file.endsWith(".json")).map((file) => path.join(stacks, project, file)))
    .reduce((sum, file) => sum + statSync(file).size, 0);
}
