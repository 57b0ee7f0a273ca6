/**
 * Where a CLI benchmark run (bench:cli) is kept and shown: its results whole in
 * docs/scale/results.json, its picture in docs/scale/fleet.svg, its tables in docs/benchmark.md and
 * the short table in the README, each written from the results by `npm run bench:cli -- --write`.
 * The tests hold each of them to the committed results.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../packageRoot";
import { measuredAt, providerLabel, type CliFleetOptions, type CliFleetResults, type CliOperation, type CliProvider } from "./cliFleet";
import { growthExponent } from "./growth";
import { withSection } from "./pageSections";
import { fleetChart } from "./scaleChart";

export interface CliRun {
  /** When it ended, ISO 8601. */
  measured: string;
  machine: string;
  /** The command that made it. */
  command: string;
  options: CliFleetOptions;
  results: CliFleetResults;
}

export const SCALE_FILES = {
  results: path.join("docs", "scale", "results.json"),
  chart: path.join("docs", "scale", "fleet.svg"),
  readme: "README.md",
  benchmark: path.join("docs", "benchmark.md"),
};
export const WRITER = "npm run bench:cli";

/** The README's rows: an operation for the providers a user picks between, and the fleet split across stacks. */
const README_ROWS: { label: string; operation: CliOperation; providers: CliProvider[] }[] = [
  { label: "`pulumi up`, creating every tenant", operation: "up: create", providers: ["dynamic", "plugin"] },
  { label: "`pulumi preview`, one tenant renamed", operation: "preview: one renamed", providers: ["dynamic", "plugin"] },
  { label: "`pulumi refresh`", operation: "refresh", providers: ["dynamic", "plugin"] },
  { label: "`pulumi up`, renaming every tenant", operation: "up: rename all", providers: ["dynamic", "plugin"] },
];

const thousands = (size: number) => size.toLocaleString("en-US");

/** The README's section: the picture, and a table of wall times by fleet size. */
export function readmeSection(run: CliRun): string {
  const { options, results } = run;
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const has = (provider: CliProvider) => options.providers.includes(provider);
  const seconds = (provider: CliProvider, size: number, operation: CliOperation) => {
    const value = results[provider]?.[size]?.[operation]?.wallSeconds;
    if (value === undefined) return measuredAt(options, provider, size) ? "n/a" : "not run";
    return `${value.toFixed(value < 10 ? 1 : 0)} s`;
  };
  const rows = README_ROWS.map(({ label, operation, providers }) => {
    const shown = providers.filter(has);
    return `| ${label}: ${shown.map((provider) => providerLabel(provider, options)).join(" / ")} | ${sizes.map((size) => shown.map((provider) => seconds(provider, size, operation)).join(" / ")).join(" | ")} |`;
  });
  if (has("split")) {
    rows.push(`| the same, creating, in ${options.splitStacks} stacks side by side | ${sizes.map((size) => seconds("split", size, "up: create")).join(" | ")} |`);
  }
  rows.push(`| the API's rate limit's pace, ${thousands(options.rateLimitPerMinute)} requests a minute, one per tenant | ${sizes.map((size) => `${((size / options.rateLimitPerMinute) * 60).toFixed(0)} s`).join(" | ")} |`);
  return [
    `![Wall time of pulumi up, preview and refresh against the tenants in one stack](${SCALE_FILES.chart})`,
    "",
    `| tenants in the stack | ${sizes.map(thousands).join(" | ")} |`,
    `|---|${sizes.map(() => "---:|").join("")}`,
    ...rows,
    "",
    `Wall time through the pinned Pulumi CLI on a local backend, against the emulator; ${describeRun(run)} Every figure: [benchmark](docs/benchmark.md#through-the-real-engine).`,
  ].join("\n");
}

/** The tables: per size, each operation's wall time per provider, and the CLI's and provider's costs; how each grows; each against the floor's. */
export function formatCliResults(results: CliFleetResults, options: CliFleetOptions): string {
  const providers = options.providers;
  const head = (columns: CliProvider[]) => [`| operation | ${columns.map((provider) => providerLabel(provider, options)).join(" | ")} |`, `|---|${columns.map(() => "---:|").join("")}`];
  const lines: string[] = [];
  for (const size of options.sizes) {
    lines.push(
      "",
      `${size} tenants, rate limit ${options.rateLimitPerMinute}/min, --parallel ${options.parallel ?? "default"}${options.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS" : ""}${options.runs > 1 ? `, median of ${options.runs} runs` : ""}: wall time (CPU of the CLI, the provider and the program; the provider's peak memory)`,
      ...head(providers),
    );
    for (const operation of options.operations) {
      const cells = providers.map((provider) => {
        const cost = results[provider][size]?.[operation];
        if (!cost) return measuredAt(options, provider, size) ? "" : "not run";
        return `${cost.wallSeconds.toFixed(1)} s (${cost.cli.cpuSeconds.toFixed(1)}, ${cost.provider.cpuSeconds.toFixed(1)}, ${cost.programCpuSeconds.toFixed(1)}; ${cost.provider.peakMiB.toFixed(0)} MiB)`;
      });
      lines.push(`| ${operation} | ${cells.join(" | ")} |`);
    }
    const state = providers.map((provider) => {
      const created = results[provider][size]?.["up: create"];
      if (!created) return measuredAt(options, provider, size) ? "" : "not run";
      return `${created.stateMiB.toFixed(2)} MiB, CLI wrote ${created.cli.wroteMiB.toFixed(1)} MiB`;
    });
    lines.push(`| state after create; bytes the CLI wrote creating | ${state.join(" | ")} |`);
  }
  if (options.sizes.length > 1) {
    lines.push("", "growth of wall time with the fleet's size (fitted exponent: 1 is linear)", ...head(providers));
    for (const operation of options.operations) {
      const exponents = providers.map((provider) => exponentOf(options.sizes, (size) => results[provider][size]?.[operation]?.wallSeconds));
      lines.push(`| ${operation} | ${exponents.join(" | ")} |`);
    }
    const written = providers.map((provider) => exponentOf(options.sizes, (size) => results[provider][size]?.["up: create"]?.cli.wroteMiB));
    lines.push(`| bytes the CLI wrote creating | ${written.join(" | ")} |`);
  }
  const others = providers.filter((provider) => provider !== "floor");
  if (providers.includes("floor") && others.length > 0) {
    lines.push("", `wall time as a multiple of the floor's, at ${options.sizes.join(" / ")} tenants (the goal for causeflow.Tenant and the plugin: 1.05 or less)`, ...head(others));
    for (const operation of options.operations) {
      const ratios = others.map((provider) =>
        options.sizes
          .map((size) => {
            const ours = results[provider][size]?.[operation]?.wallSeconds;
            const floor = results.floor[size]?.[operation]?.wallSeconds;
            return ours === undefined || floor === undefined ? "–" : (ours / floor).toFixed(2);
          })
          .join(" / "),
      );
      lines.push(`| ${operation} | ${ratios.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/** The fitted exponent of a figure across the sizes that have it, to two places, or "" with fewer than two. */
function exponentOf(sizes: number[], value: (size: number) => number | undefined): string {
  const measured = sizes.filter((size) => value(size) !== undefined);
  const exponent = growthExponent(measured.map((size) => ({ size, value: value(size)! })));
  return exponent === undefined ? "" : exponent.toFixed(2);
}

/** docs/benchmark.md's section: every table of the run. */
export function benchmarkSection(run: CliRun): string {
  const described = describeRun(run);
  return [`${described[0].toUpperCase()}${described.slice(1)}`, formatCliResults(run.results, run.options)].join("\n");
}

function describeRun(run: CliRun): string {
  const runs = run.options.runs > 1 ? `medians of ${run.options.runs} runs` : "one run";
  return `${runs}, measured ${run.measured.slice(0, 10)} on ${run.machine}, by \`${run.command}\`.`;
}

/** Writes the run's results, picture and sections into the repository. */
export function writeScalePages(run: CliRun, root = PACKAGE_ROOT): void {
  writeFileSync(path.join(root, SCALE_FILES.results), `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(path.join(root, SCALE_FILES.chart), fleetChart(run.results, run.options));
  const readme = path.join(root, SCALE_FILES.readme);
  writeFileSync(readme, withSection(readFileSync(readme, "utf8"), WRITER, readmeSection(run), SCALE_FILES.readme));
  const benchmark = path.join(root, SCALE_FILES.benchmark);
  writeFileSync(benchmark, withSection(readFileSync(benchmark, "utf8"), WRITER, benchmarkSection(run), SCALE_FILES.benchmark));
}
