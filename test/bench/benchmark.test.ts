/** The benchmark at tiny sizes, so that it keeps working; its figures are not asserted as timings. */
import { runBenchmark, SMOKE } from "../../bench/benchmark";
import { formatReport } from "../../bench/run";

it("runs end to end and upholds what the full run reports", async () => {
  const report = await runBenchmark(SMOKE);
  expect(report.operations.map((o) => o.operation).sort()).toEqual(["create", "read", "update"]);
  expect(report.fleet.failures).toBe(0);
  // Create (POST, read-back, PATCH of autoRemediation), rename (PATCH), refresh (GET).
  expect(report.fleet.requests - report.fleet.rateLimited).toBe(SMOKE.fleet * 5);
  expect(report.fleet.connections).toBeGreaterThan(0);
  expect(report.preview.unchanged).toMatchObject({ httpRequests: 0, changes: 0 });
  expect(report.preview.oneChange).toMatchObject({ httpRequests: 0, changes: SMOKE.preview });
  expect(report.footprint.providerBytes).toBeGreaterThan(0);
  expect(report.footprint.outputsBytes).toBeGreaterThan(report.footprint.providerBytes);
  const table = formatReport(report, new Date("2026-11-22T00:00:00Z"));
  expect(table).toMatch(/^Measured 2026-11-22 on \d+ cores .* Node v\d+/);
  expect(table).toContain(`| failures | 0 |`);
}, 120_000);
