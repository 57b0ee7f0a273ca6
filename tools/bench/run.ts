/**
 * `npm run bench` (full sizes) or `npm run bench -- --smoke`, and `-- --before <git revision>` to
 * measure that revision's dynamic host beside this one's: runs the benchmark, prints its tables,
 * and writes them with the machine's description into docs/benchmark.md, between its markers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { exitWithParent } from "../../provider/lifeline/exitWithParent";
import { FULL, runBenchmark, SMOKE, type BenchReport, type SideName } from "./benchmark";
import { sectionOf, withSection } from "./pageSections";

const LABELS: Record<SideName, string> = {
  floor: "the host's floor",
  before: "dynamic host, before",
  dynamic: "dynamic host",
  plugin: "plugin",
};

export function formatReport(report: BenchReport, when: Date): string {
  const ms = (value: number | undefined) => (value === undefined ? "" : `${value.toFixed(2)} ms`);
  const { sides, fleet, preview, recovery, footprint, options } = report;
  const fleetSides = sides.filter((side) => fleet[side] !== undefined);
  const dynamicSides = sides.filter((side) => footprint.providerBytes[side] !== undefined);
  const stateSides = sides.filter((side) => footprint.state[side] !== undefined);
  /** A table with a column per side; `cell` gives a side's cell, or "" where it has none. */
  const table = (title: string, rows: [label: string, cell: (side: SideName) => string][], columns = sides) => [
    `| ${title} | ${columns.map((side) => LABELS[side]).join(" | ")} |`,
    `|---|${columns.map(() => "---|").join("")}`,
    ...rows.map(([label, cell]) => `| ${label} | ${columns.map(cell).join(" | ")} |`),
  ];
  const lines = [
    `Measured ${when.toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}. Medians of ${options.repeats} runs unless stated.` +
      ` The host's floor is the same dynamic-provider host running a provider that only sends the requests (tools/bench/floorProvider.ts).` +
      (options.before ? ` "Before" is ${options.before}'s dynamic host, measured in the same run.` : ""),
    "",
    ...table("per operation (warm): through the host / added to the same request sent with undici", [
      ...report.operations.map((o): [string, (side: SideName) => string] => [
        `${o.operation} (undici alone: ${ms(o.directMs)})`,
        (side) => `${ms(o.hostMs[side])} / ${ms(o.addedMs[side])}`,
      ]),
      [`cold start: spawn to first answered call (median of ${options.coldStarts})`, (side) => ms(report.coldStartMs[side])],
      ...(["check", "create", "read"] as const).map((call): [string, (side: SideName) => string] => [
        `first ${call} on a freshly started host (median of ${options.coldStarts})`,
        (side) => ms(report.firstCallsMs[side]?.[call]),
      ]),
    ]),
    "",
    ...table(
      `fleet: ${options.fleet} tenants created, renamed, refreshed; ${options.inFlight} in flight; limit ${options.rateLimitPerMinute}/min; median of ${options.fleetRuns} runs`,
      [
        ["wall time", (side) => `${fleet[side]!.wallSeconds.toFixed(1)} s`],
        ["lower bound the rate limit allows (fixed one-minute windows)", (side) => `${fleet[side]!.lowerBoundSeconds.toFixed(1)} s`],
        ["HTTP requests, of which 429s absorbed", (side) => `${fleet[side]!.requests}, ${fleet[side]!.rateLimited}`],
        ["failures", (side) => `${fleet[side]!.failures}`],
        ["TCP connections opened", (side) => `${fleet[side]!.connections}`],
        ["host's peak resident memory after the fleet (highest of the runs)", (side) => memory(fleet[side]!.hostPeakMemoryMiB)],
      ],
      fleetSides,
    ),
    "",
    ...table(`preview of ${options.preview} tenants (check + diff, ${options.inFlight} in flight; median of ${options.previewRuns}): wall time, per tenant, HTTP requests`, [
      ...(["unchanged", "oneChange"] as const).map((kind): [string, (side: SideName) => string] => [
        kind === "unchanged" ? "unchanged" : "one field changed in each",
        (side) => {
          const figure = preview[side]![kind];
          return `${ms(figure.wallMs)}, ${ms(figure.wallMs / options.preview)}, ${figure.httpRequests} requests, ${figure.changes} changes`;
        },
      ]),
    ]),
    "",
    `| recovery: ${options.recovery.creates} creates (check, POST, read-back, PATCH) among ${options.recovery.visible} visible tenants, ${options.recovery.share * 100} % of POSTs failing | POSTs failed | HTTP requests | per request sent when nothing fails | failures |`,
    "|---|---|---|---|---|",
    `| nothing fails | 0 | ${recovery.intendedRequests} | 1.00 | 0 |`,
    ...([
      ["503 before processing (the POST is sent again)", recovery.unknownBeforeProcessing],
      ["processed, answer lost (again: 409, then the slug is looked up)", recovery.lostAnswer],
    ] as const).map(([label, f]) => `| ${label} | ${f.injected} | ${f.requests} | ${f.perIntended.toFixed(2)} | ${f.failures} |`),
    "",
    ...table("footprint in state", [
      ["`__provider` text, in a tenant's inputs and again in its outputs", (side) => (dynamicSides.includes(side) ? `${footprint.providerBytes[side]} bytes` : "none")],
      ...(["plain", "linked"] as const).map((tenant): [string, (side: SideName) => string] => [
        tenant === "plain" ? "a tenant: inputs + outputs" : "a tenant with AWS settings and autoRemediation: inputs + outputs",
        (side) => {
          const { inputsBytes, outputsBytes } = footprint.state[side]![tenant];
          return `${inputsBytes} + ${outputsBytes} = ${inputsBytes + outputsBytes} bytes`;
        },
      ]),
    ], stateSides),
  ];
  return lines.join("\n");
}

/** The benchmark's page with its tables replaced by this run's; what surrounds them stays. */
export function withBenchmark(page: string, table: string): string {
  return withSection(page, "npm run bench", table, "docs/benchmark.md");
}

/** The tables the benchmark's page holds, as the last run wrote them. */
export function benchmarkTables(page: string): string {
  return sectionOf(page, "npm run bench", "docs/benchmark.md");
}

function memory(mib: number): string {
  return Number.isNaN(mib) ? "n/a" : `${mib.toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { smoke: { type: "boolean" }, before: { type: "string" } } });
  const smoke = values.smoke === true;
  const report = await runBenchmark({ ...(smoke ? SMOKE : FULL), before: values.before }, (line) => console.error(`bench: ${line}`));
  const table = formatReport(report, new Date());
  console.log(table);
  if (!smoke) {
    const root = path.resolve(__dirname, "..", "..", "..");
    const file = path.join(root, "docs", "benchmark.md");
    writeFileSync(file, withBenchmark(readFileSync(file, "utf8"), table));
    console.error(`bench: written to ${path.relative(process.cwd(), file)}`);
  }
}

if (require.main === module) {
  // Killed with its npm, it must not leave hosts behind: each host ends when this process does.
  exitWithParent();
  main().catch((error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
