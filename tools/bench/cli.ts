/**
 * `npm run bench:cli [-- --sizes 100,500,1000,2000] [--providers floor,before,dynamic,plugin,split]
 * [--before <revision>] [--split-stacks N] [--largest provider=N,…] [--operations "up: create,refresh"]
 * [--runs N] [--parallel N] [--skip-checkpoints] [--profiles folder]
 * [--out file.json] [--write]`: fleets through the pinned Pulumi CLI (cliFleet.ts), a line per
 * operation as it ends, then a table per size and the growth of each operation with the fleet's
 * size. `--write` keeps the run as the repository's figures (scalePages.ts): the results, the
 * picture, and the tables of docs/benchmark.md and the README. `--from file.json --write` writes
 * them from a run kept with `--out`, measuring nothing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import { parseArgs } from "node:util";
import { exitWithParent } from "../../provider/lifeline/exitWithParent";
import { CLI_OPERATIONS, CLI_PROVIDERS, measureCliFleets, type CliFleetOptions } from "./cliFleet";
import { formatCliResults, writeScalePages, type CliRun } from "./scalePages";

function list<T extends string>(text: string, allowed: readonly T[], what: string): T[] {
  const items = text.split(",").map((item) => item.trim());
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) throw new Error(`unknown ${what} ${unknown.join(", ")}; choose among ${allowed.join(", ")}`);
  return items as T[];
}

function commandLine() {
  return parseArgs({
    options: {
      sizes: { type: "string", default: "100,500,1000,2000" },
      providers: { type: "string" },
      before: { type: "string" },
      runs: { type: "string", default: "1" },
      parallel: { type: "string" },
      "split-stacks": { type: "string", default: "4" },
      largest: { type: "string" },
      operations: { type: "string", default: CLI_OPERATIONS.join(",") },
      "skip-checkpoints": { type: "boolean" },
      profiles: { type: "string" },
      out: { type: "string" },
      write: { type: "boolean" },
      from: { type: "string" },
    },
  }).values;
}

async function main(): Promise<void> {
  exitWithParent();
  const values = commandLine();
  const run = values.from ? (JSON.parse(readFileSync(values.from, "utf8")) as CliRun) : await measure(values);
  console.log(formatCliResults(run.results, run.options));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(run, null, 2)}\n`);
  if (values.write) {
    writeScalePages(run);
    console.error("bench:cli: written to docs/scale/results.json, docs/scale/fleet.svg, docs/benchmark.md and README.md");
  }
}

async function measure(values: ReturnType<typeof commandLine>): Promise<CliRun> {
  const sizes = values.sizes.split(",").map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`--sizes takes whole numbers of tenants, such as 100,500; not ${values.sizes}`);
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1)) throw new Error(`--parallel takes a whole number, not ${values.parallel}`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of runs, such as 3; not ${values.runs}`);
  const splitStacks = Number(values["split-stacks"]);
  if (!Number.isInteger(splitStacks) || splitStacks < 2) throw new Error(`--split-stacks takes a whole number of stacks, 2 or more; not ${values["split-stacks"]}`);
  const providers = values.providers ?? CLI_PROVIDERS.filter((provider) => provider !== "before" || values.before).join(",");
  const operations = list(values.operations, CLI_OPERATIONS, "operation");
  if (operations[0] !== "up: create") throw new Error(`--operations starts with "up: create", which makes the fleet the others work on; not ${operations[0]}`);
  const largest = Object.fromEntries(
    (values.largest ?? "").split(",").filter(Boolean).map((pair) => {
      const [provider, size] = pair.split("=");
      list(provider, CLI_PROVIDERS, "provider");
      if (!(Number(size) >= 1)) throw new Error(`--largest takes provider=size pairs, such as before=1000; not ${pair}`);
      return [provider, Number(size)];
    }),
  );
  const options: CliFleetOptions = {
    sizes,
    providers: list(providers, CLI_PROVIDERS, "provider"),
    operations,
    largest,
    rateLimitPerMinute: 2000,
    parallel,
    runs,
    splitStacks,
    before: values.before,
    skipCheckpoints: values["skip-checkpoints"],
    profiles: values.profiles,
  };
  const started = Date.now();
  const results = await measureCliFleets(options, (line) => console.error(`bench:cli [${Math.round((Date.now() - started) / 1000)} s] ${line}`));
  return {
    measured: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}`,
    command: `npm run bench:cli -- ${process.argv.slice(2).join(" ")}`,
    options,
    results,
  };
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`bench:cli: ${error.message}`);
    process.exit(1);
  });
}
