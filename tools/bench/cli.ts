/**
 * `npm run bench:cli [-- --sizes 100,500,1000,2000] [--providers floor,before,dynamic,plugin]
 * [--before <revision>] [--runs N] [--parallel N] [--skip-checkpoints] [--profiles folder]
 * [--out file.json]`: fleets through the pinned Pulumi CLI (cliFleet.ts), a line per operation as
 * it ends, then a table per size and the growth of each operation with the fleet's size.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { exitWithParent } from "../../provider/lifeline/exitWithParent";
import { CLI_OPERATIONS, CLI_PROVIDERS, measureCliFleets, type CliFleetOptions, type CliFleetResults } from "./cliFleet";
import { growthExponent } from "./growth";

/** The tables: per size, each operation's wall time per provider, and the CLI's and provider's costs. */
export function formatCliResults(results: CliFleetResults, options: CliFleetOptions): string {
  const providers = options.providers;
  const lines: string[] = [];
  for (const size of options.sizes) {
    lines.push(
      "",
      `${size} tenants, rate limit ${options.rateLimitPerMinute}/min, --parallel ${options.parallel ?? "default"}${options.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS" : ""}${options.runs > 1 ? `, median of ${options.runs} runs` : ""}: wall time (CLI CPU, provider CPU; provider peak memory)`,
      `| operation | ${providers.join(" | ")} |`,
      `|---|${providers.map(() => "---:|").join("")}`,
    );
    for (const operation of CLI_OPERATIONS) {
      const cells = providers.map((provider) => {
        const cost = results[provider][size]?.[operation];
        if (!cost) return "";
        return `${cost.wallSeconds.toFixed(1)} s (${cost.cli.cpuSeconds.toFixed(1)}, ${cost.provider.cpuSeconds.toFixed(1)}; ${cost.provider.peakMiB.toFixed(0)} MiB)`;
      });
      lines.push(`| ${operation} | ${cells.join(" | ")} |`);
    }
    const state = providers.map((provider) => {
      const created = results[provider][size]?.["up: create"];
      return created ? `${created.stateMiB.toFixed(2)} MiB, CLI wrote ${created.cli.wroteMiB.toFixed(1)} MiB` : "";
    });
    lines.push(`| state after create; bytes the CLI wrote creating | ${state.join(" | ")} |`);
  }
  if (options.sizes.length > 1) {
    lines.push("", "growth of wall time with the fleet's size (fitted exponent: 1 is linear)", `| operation | ${providers.join(" | ")} |`, `|---|${providers.map(() => "---:|").join("")}`);
    for (const operation of CLI_OPERATIONS) {
      const exponents = providers.map((provider) => exponentOf(options.sizes, (size) => results[provider][size]?.[operation]?.wallSeconds));
      lines.push(`| ${operation} | ${exponents.join(" | ")} |`);
    }
    const written = providers.map((provider) => exponentOf(options.sizes, (size) => results[provider][size]?.["up: create"]?.cli.wroteMiB));
    lines.push(`| bytes the CLI wrote creating | ${written.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** The fitted exponent of a figure across the sizes, to two places, or "" when a size lacks it. */
function exponentOf(sizes: number[], value: (size: number) => number | undefined): string {
  const exponent = growthExponent(sizes.map((size) => ({ size, value: value(size) ?? Number.NaN })));
  return exponent === undefined ? "" : exponent.toFixed(2);
}

function list<T extends string>(text: string, allowed: readonly T[], what: string): T[] {
  const items = text.split(",").map((item) => item.trim());
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) throw new Error(`unknown ${what} ${unknown.join(", ")}; choose among ${allowed.join(", ")}`);
  return items as T[];
}

async function main(): Promise<void> {
  exitWithParent();
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100,500,1000,2000" },
      providers: { type: "string" },
      before: { type: "string" },
      runs: { type: "string", default: "1" },
      parallel: { type: "string" },
      "skip-checkpoints": { type: "boolean" },
      profiles: { type: "string" },
      out: { type: "string" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`--sizes takes whole numbers of tenants, such as 100,500; not ${values.sizes}`);
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1)) throw new Error(`--parallel takes a whole number, not ${values.parallel}`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of runs, such as 3; not ${values.runs}`);
  const providers = values.providers ?? CLI_PROVIDERS.filter((provider) => provider !== "before" || values.before).join(",");
  const options: CliFleetOptions = {
    sizes,
    providers: list(providers, CLI_PROVIDERS, "provider"),
    rateLimitPerMinute: 2000,
    parallel,
    runs,
    before: values.before,
    skipCheckpoints: values["skip-checkpoints"],
    profiles: values.profiles,
  };
  const started = Date.now();
  const results = await measureCliFleets(options, (line) => console.error(`bench:cli [${Math.round((Date.now() - started) / 1000)} s] ${line}`));
  console.log(formatCliResults(results, options));
  if (values.out) writeFileSync(values.out, `${JSON.stringify({ measured: new Date().toISOString(), options, results }, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`bench:cli: ${error.message}`);
    process.exit(1);
  });
}
