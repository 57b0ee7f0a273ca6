/**
 * The figures at scale the repository shows come from one committed run of `npm run bench:cli`
 * (docs/scale/results.json): the README's table, docs/benchmark.md's tables and the picture are
 * what that run's results make, and the results are whole.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CLI_OPERATIONS, measuredAt } from "../../../../tools/bench/cliFleet";
import { sectionOf } from "../../../../tools/bench/pageSections";
import { axisTicks, fleetChart } from "../../../../tools/bench/scaleChart";
import { benchmarkSection, formatCliResults, readmeSection, SCALE_FILES, WRITER, type CliRun } from "../../../../tools/bench/scalePages";
import { REPO_ROOT } from "../../../support/repo";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");
const run = JSON.parse(read(SCALE_FILES.results)) as CliRun;

describe("the committed run of npm run bench:cli", () => {
  it("measured every operation of every provider at every size, and says how it was made", () => {
    const missing = run.options.providers.flatMap((provider) =>
      run.options.sizes
        .filter((size) => measuredAt(run.options, provider, size))
        .flatMap((size) => run.options.operations.filter((operation) => !(run.results[provider]?.[size]?.[operation]?.wallSeconds! > 0)).map((operation) => `${provider} ${size} ${operation}`)),
    );
    expect(run.options.operations).toEqual(CLI_OPERATIONS);
    expect(missing).toEqual([]);
    expect(run.command).toMatch(/^npm run bench:cli -- --sizes /);
  });

  it("is what the README's table shows", () => {
    expect(sectionOf(read(SCALE_FILES.readme), WRITER, "README.md")).toBe(readmeSection(run));
  });

  it("is what docs/benchmark.md's tables show", () => {
    expect(sectionOf(read(SCALE_FILES.benchmark), WRITER, "docs/benchmark.md")).toBe(benchmarkSection(run));
  });

  it("is what the picture draws", () => {
    expect(read(SCALE_FILES.chart)).toBe(fleetChart(run.results, run.options));
  });
});

describe("the tables", () => {
  it("set each provider's wall time against the floor's, per operation, size by size, with a dash where one was not run, and say which sizes a provider was spared", () => {
    const cost = run.results.floor[run.options.sizes[0]]["up: create"]!;
    const took = (wallSeconds: number) => ({ "up: create": { ...cost, wallSeconds, wallSecondsRuns: [wallSeconds], stateMiB: 1, cli: { ...cost.cli, wroteMiB: 10 } } });
    const options = { ...run.options, sizes: [100, 200], providers: ["floor", "dynamic", "plugin"] as const, operations: ["up: create" as const], largest: { plugin: 100 } };
    const results = { floor: { 100: took(10), 200: took(40) }, dynamic: { 100: took(10.5), 200: took(30) }, plugin: { 100: took(12) } };
    const tables = formatCliResults(results as unknown as CliRun["results"], { ...options, providers: [...options.providers] });
    expect(tables).toContain("wall time as a multiple of the floor's, at 100 / 200 tenants");
    expect(tables.split("\n").at(-1)).toBe("| up: create | 1.05 / 0.75 | 1.20 / – |");
    expect(tables).toContain("| state after create; bytes the CLI wrote creating | 1.00 MiB, CLI wrote 10.0 MiB | 1.00 MiB, CLI wrote 10.0 MiB | not run |");
  });
});

describe("the picture", () => {
  it("marks each provider's wall time at each size in each of its four panels, and the rate limit's pace for pulumi up", () => {
    const chart = fleetChart(run.results, run.options);
    const measured = run.options.providers.flatMap((provider) => run.options.sizes.filter((size) => measuredAt(run.options, provider, size)));
    expect(chart.match(/<circle /g)).toHaveLength(4 * measured.length);
    expect(chart.match(/stroke-dasharray="4 3"\/>/g)).toHaveLength(2 + 1); // up creating, up renaming; and the legend's
  });

  it("scales its axes to round steps that reach the largest figure", () => {
    expect(axisTicks(2000)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(axisTicks(47)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(axisTicks(0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
