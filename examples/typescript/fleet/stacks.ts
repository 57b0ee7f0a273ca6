/**
 * One fleet split across stacks, run side by side: `node bin/stacks.js <up|preview|refresh>
 * [--fleets <folder>] [--parallel <n>]`. Each fleet file in the folder (fleets/ by default) is the
 * fleet of one stack named after it: fleets/emea.yaml is the stack `emea`, declared by the same
 * program as a single stack's (program.ts). Pulumi's Automation API runs the operation on every
 * stack at once, each in a CLI process of its own; they share the CauseFlow API's rate limit,
 * which each provider rides out by waiting as the API asks. A stack that fails does not stop the
 * others; the exit code says whether any failed.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { LocalWorkspace, type EngineEvent, type LocalWorkspaceOptions, type OpMap } from "@pulumi/pulumi/automation";
import { declareFleet } from "./program";

export const OPERATIONS = ["up", "preview", "refresh"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface FleetStack {
  stack: string;
  file: string;
}

export interface StackOutcome extends FleetStack {
  seconds: number;
  /** The steps by kind (create, update, same, …), when the operation ended. */
  changes?: OpMap;
  error?: string;
}

export interface FleetStacksOptions {
  /** The project's folder: its Pulumi.yaml names the project, and each stack's Pulumi.<stack>.yaml lives there. */
  projectDir: string;
  fleetsDir: string;
  /** The engine's --parallel for each stack; its default when absent. */
  parallel?: number;
  /** How the Automation API finds and runs the CLI (PULUMI_HOME, environment, command): its defaults when absent. */
  workspace?: Omit<LocalWorkspaceOptions, "workDir" | "program">;
  progress?: (line: string) => void;
  /** A progress line per this many tenants done in a stack; 100 unless given. */
  progressEvery?: number;
}

/** The fleet files of a folder (YAML or JSON), each with the stack it is the fleet of, by name. */
export function fleetStacks(fleetsDir: string): FleetStack[] {
  const files = readdirSync(fleetsDir).filter((file) => /\.(ya?ml|json)$/.test(file)).sort();
  if (files.length === 0) throw new Error(`${fleetsDir} holds no fleet file: add one per stack, such as ${path.join(fleetsDir, "emea.yaml")}`);
  return files.map((file) => {
    const stack = path.basename(file, path.extname(file));
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new Error(`${file} cannot name a stack: use letters, digits, "-", "_" or "." in a fleet file's name`);
    return { stack, file: path.resolve(fleetsDir, file) };
  });
}

/** Runs `operation` on every fleet file's stack at once; resolves, when all have ended, with each one's outcome. */
export async function runFleetStacks(operation: Operation, options: FleetStacksOptions): Promise<StackOutcome[]> {
  const progress = options.progress ?? (() => undefined);
  return Promise.all(
    fleetStacks(options.fleetsDir).map(async ({ stack, file }): Promise<StackOutcome> => {
      const started = Date.now();
      const seconds = () => (Date.now() - started) / 1000;
      let done = 0;
      const onEvent = (event: EngineEvent) => {
        if (event.resOutputsEvent?.metadata.type.endsWith(":Tenant") && ++done % (options.progressEvery ?? 100) === 0) progress(`${stack}: ${done} tenants done, ${seconds().toFixed(0)} s`);
      };
      try {
        const workspace = await LocalWorkspace.createOrSelectStack(
          { projectName: "causeflow-fleet", stackName: stack, program: async () => declareFleet(file) },
          { ...options.workspace, workDir: options.projectDir },
        );
        progress(`${stack}: ${operation} started (${path.basename(file)})`);
        const { parallel } = options;
        const changes =
          operation === "up"
            ? (await workspace.up({ parallel, onEvent })).summary.resourceChanges
            : operation === "preview"
              ? (await workspace.preview({ parallel, onEvent })).changeSummary
              : (await workspace.refresh({ parallel, onEvent })).summary.resourceChanges;
        progress(`${stack}: ${operation} done in ${seconds().toFixed(1)} s: ${describeChanges(changes)}`);
        return { stack, file, seconds: seconds(), changes };
      } catch (error) {
        const message = diagnostics((error as Error).message);
        progress(`${stack}: ${operation} failed after ${seconds().toFixed(1)} s: ${message}`);
        return { stack, file, seconds: seconds(), error: message };
      }
    }),
  );
}

/** Of a failed command's output, what the engine reported as errors (its Diagnostics), or all of it when it has none. */
function diagnostics(message: string): string {
  const start = message.indexOf("\nDiagnostics:\n");
  if (start < 0) return message;
  const end = message.search(/\n(Resources|Duration):/);
  return message.slice(start + 1, end > start ? end : undefined).trim();
}

function describeChanges(changes: OpMap | undefined): string {
  const entries = Object.entries(changes ?? {}).filter(([, count]) => count);
  return entries.length === 0 ? "nothing to do" : entries.map(([kind, count]) => `${count} ${kind}`).join(", ");
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { fleets: { type: "string", default: "fleets" }, parallel: { type: "string" } } });
  const operation = positionals[0] as Operation;
  if (positionals.length !== 1 || !OPERATIONS.includes(operation)) throw new Error(`usage: node bin/stacks.js <${OPERATIONS.join("|")}> [--fleets <folder>] [--parallel <n>]`);
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel > 0)) throw new Error(`--parallel takes a whole number, such as 16; not ${values.parallel}`);
  const projectDir = path.resolve(__dirname, "..");
  const outcomes = await runFleetStacks(operation, { projectDir, fleetsDir: path.resolve(values.fleets), parallel, progress: (line) => console.log(line) });
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  if (failed.length > 0) {
    console.error(`${failed.length} of ${outcomes.length} stacks failed: ${failed.map((outcome) => outcome.stack).join(", ")}; their errors are above. Run the same command again once they are fixed: stacks already done have nothing left to do.`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
