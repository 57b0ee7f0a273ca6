/**
 * The benchmark lives in docs/benchmark.md alone: `npm run bench` writes its tables there, between
 * the page's markers, and leaves the text around them as it is.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { FULL, SIDES, type BenchReport, type SideName } from "../../../../tools/bench/benchmark";
import { benchmarkTables, formatReport, withBenchmark } from "../../../../tools/bench/run";
import { REPO_ROOT } from "../../../support/repo";

const page = readFileSync(path.join(REPO_ROOT, "docs", "benchmark.md"), "utf8");

/** A full-size run's report with all four sides and made-up figures: what the last run's tables were formatted from, figures aside. */
function fullReport(): BenchReport {
  const each = <T>(sides: readonly SideName[], value: (side: SideName) => T) => Object.fromEntries(sides.map((side) => [side, value(side)]));
  const figure = { wallMs: 1.5, httpRequests: 0, changes: 0 };
  const recovery = { injected: 1, requests: 2, perIntended: 1.5, failures: 0 };
  const tenant = { inputsBytes: 1, outputsBytes: 2 };
  return {
    options: { ...FULL, before: "c0f31e6" },
    sides: [...SIDES],
    operations: ["create", "read", "update"].map((operation) => ({ operation, directMs: 0.5, hostMs: each(SIDES, () => 1.5), addedMs: each(SIDES, () => 1) })),
    coldStartMs: each(SIDES, () => 1.5),
    firstCallsMs: each(SIDES, () => ({ check: 1.5, create: 1.5, read: 1.5 })),
    fleet: each(["before", "dynamic"], () => ({ requests: 1, wallSeconds: 1.5, lowerBoundSeconds: 1.5, rateLimited: 1, failures: 0, connections: 1, hostPeakMemoryMiB: 1.5 })),
    preview: each(SIDES, () => ({ unchanged: figure, oneChange: figure })),
    recovery: { intendedRequests: 1, unknownBeforeProcessing: recovery, lostAnswer: recovery },
    footprint: { providerBytes: each(["before", "dynamic"], () => 1), state: each(["before", "dynamic", "plugin"], () => ({ plain: tenant, linked: tenant })) },
  };
}

/** The text with every figure, and the machine's description, left out. */
const shape = (text: string) => text.replace(/^Measured .*?\. Medians/m, "Measured on a machine. Medians").replace(/\d+(\.\d+)?/g, "#");

it("holds, between its markers, the tables run.ts formats for a full run with every side", () => {
  expect(shape(benchmarkTables(page))).toBe(shape(formatReport(fullReport(), new Date("2026-12-01T00:00:00Z"))));
});

it("keeps the text around its tables when a run writes new ones", () => {
  expect(withBenchmark(page, benchmarkTables(page))).toBe(page);
  expect(withBenchmark(page, "| new |")).toContain(page.slice(0, page.indexOf("<!--")));
  expect(withBenchmark(page, "| new |")).toContain(page.slice(page.lastIndexOf("-->")));
});

it("is the only place with the benchmark's tables: the README has none", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  expect(readme).not.toContain("npm run bench writes what follows");
  expect(readme).not.toMatch(/^\| per operation \(warm\)/m);
});
