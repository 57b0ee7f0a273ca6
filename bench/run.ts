/**
 * `npm run bench` (full sizes) or `npm run bench -- --smoke`: runs the benchmark, prints a table,
 * and writes it with the machine's description to docs/benchmark.md.
 */
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exitWithParent } from "../provider/lifeline";
import { FULL, HOST_KINDS, runBenchmark, SMOKE, type BenchReport } from "./benchmark";

export function formatReport(report: BenchReport, when: Date): string {
  const ms = (value: number) => value.toFixed(2);
  const { fleet, preview, recovery, footprint, options } = report;
  const lines = [
    `Measured ${when.toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}. Medians of ${options.repeats} runs unless stated.`,
    "",
    "| per operation (warm) | dynamic host | plugin | same request with undici | added: dynamic host | added: plugin |",
    "|---|---|---|---|---|---|",
    ...report.operations.map(
      (o) => `| ${o.operation} | ${ms(o.hostMs.dynamic)} ms | ${ms(o.hostMs.plugin)} ms | ${ms(o.directMs)} ms | ${ms(o.addedMs.dynamic)} ms | ${ms(o.addedMs.plugin)} ms |`,
    ),
    `| cold start: spawn to first answered call (median of ${options.coldStarts}) | ${ms(report.coldStartMs.dynamic)} ms | ${ms(report.coldStartMs.plugin)} ms | | | |`,
    "",
    `| fleet: ${options.fleet} tenants created, renamed, refreshed; ${options.inFlight} in flight; limit ${options.rateLimitPerMinute}/min; median of ${options.fleetRuns} runs | |`,
    "|---|---|",
    `| wall time | ${fleet.wallSeconds.toFixed(1)} s |`,
    `| lower bound the rate limit allows (fixed one-minute windows) | ${fleet.lowerBoundSeconds.toFixed(1)} s |`,
    `| HTTP requests, of which 429s absorbed | ${fleet.requests}, ${fleet.rateLimited} |`,
    `| failures | ${fleet.failures} |`,
    `| TCP connections opened | ${fleet.connections} |`,
    "",
    `| preview of ${options.preview} tenants (check + diff, ${options.inFlight} in flight; median of ${options.previewRuns}) | wall time | per tenant | HTTP requests, all runs | changes |`,
    "|---|---|---|---|---|",
    ...HOST_KINDS.flatMap((kind) =>
      ([["unchanged", preview[kind].unchanged], ["one field changed in each", preview[kind].oneChange]] as const).map(
        ([label, figure]) => `| ${kind === "dynamic" ? "dynamic host" : "plugin"}, ${label} | ${ms(figure.wallMs)} ms | ${ms(figure.wallMs / options.preview)} ms | ${figure.httpRequests} | ${figure.changes} |`,
      ),
    ),
    "",
    `| recovery: ${options.recovery.creates} creates (check, POST, read-back, PATCH) among ${options.recovery.visible} visible tenants, ${options.recovery.share * 100} % of POSTs failing | POSTs failed | HTTP requests | per request sent when nothing fails | failures |`,
    "|---|---|---|---|---|",
    `| nothing fails | 0 | ${recovery.intendedRequests} | 1.00 | 0 |`,
    ...([
      ["503 before processing (the POST is sent again)", recovery.unknownBeforeProcessing],
      ["processed, answer lost (again: 409, then the slug is looked up)", recovery.lostAnswer],
    ] as const).map(([label, f]) => `| ${label} | ${f.injected} | ${f.requests} | ${f.perIntended.toFixed(2)} | ${f.failures} |`),
    "",
    "| footprint | dynamic host | plugin |",
    "|---|---|---|",
    `| \`__provider\` text, stored in a tenant's inputs and again in its outputs | ${footprint.providerBytes} bytes | none |`,
    ...(["plain", "linked"] as const).map((tenant) => {
      const [dynamic, plugin] = [footprint.state.dynamic[tenant], footprint.state.plugin[tenant]];
      const label = tenant === "plain" ? "a tenant" : "a tenant with AWS settings and autoRemediation";
      return `| ${label}: inputs + outputs in state | ${dynamic.inputsBytes} + ${dynamic.outputsBytes} = ${dynamic.inputsBytes + dynamic.outputsBytes} bytes | ${plugin.inputsBytes} + ${plugin.outputsBytes} = ${plugin.inputsBytes + plugin.outputsBytes} bytes |`;
    }),
    `| provider host's peak resident memory after the fleet (highest of the runs) | ${Number.isNaN(footprint.hostPeakMemoryMiB) ? "n/a" : footprint.hostPeakMemoryMiB.toFixed(1)} MiB | |`,
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const smoke = process.argv.includes("--smoke");
  const report = await runBenchmark(smoke ? SMOKE : FULL, (line) => console.error(`bench: ${line}`));
  const table = formatReport(report, new Date());
  console.log(table);
  if (!smoke) {
    const file = path.resolve(__dirname, "..", "..", "docs", "benchmark.md");
    writeFileSync(file, `# Benchmark\n\nWritten by \`npm run bench\`; see the README for what each figure means.\n\n${table}\n`);
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
