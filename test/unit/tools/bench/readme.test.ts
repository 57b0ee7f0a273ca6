/** The README shows the benchmark's last run, as `npm run bench` wrote it into docs/benchmark.md. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { withBenchmark } from "../../../../tools/bench/run";
import { REPO_ROOT } from "../../../support/stack";

it("holds the tables of docs/benchmark.md between its markers, unchanged", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const written = readFileSync(path.join(REPO_ROOT, "docs", "benchmark.md"), "utf8");
  const table = written.slice(written.indexOf("Measured ")).trim();
  expect(withBenchmark(readme, table)).toBe(readme);
});
