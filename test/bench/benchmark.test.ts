/** The benchmark at tiny sizes, so that it keeps working; its figures are not asserted as timings. */
import { HOST_KINDS, runBenchmark, SMOKE } from "../../bench/benchmark";
import { formatReport } from "../../bench/run";
import { REPO_ROOT } from "../engine/fixture";
import { descendantsOnceRunning, killAll, startUntil, survivorsAfter } from "../processes";

it("runs end to end and upholds what the full run reports", async () => {
  const report = await runBenchmark(SMOKE);
  expect(report.operations.map((o) => o.operation).sort()).toEqual(["create", "read", "update"]);
  expect(report.fleet.failures).toBe(0);
  // Create (POST, read-back, PATCH of autoRemediation), rename (PATCH), refresh (GET).
  expect(report.fleet.requests - report.fleet.rateLimited).toBe(SMOKE.fleet * 5);
  expect(report.fleet.connections).toBeGreaterThan(0);
  for (const kind of HOST_KINDS) {
    expect(report.preview[kind].unchanged).toMatchObject({ httpRequests: 0, changes: 0 });
    expect(report.preview[kind].oneChange).toMatchObject({ httpRequests: 0, changes: SMOKE.preview });
  }
  // Each POST answered 503 before processing costs exactly one more POST, and no listing.
  const { intendedRequests, unknownBeforeProcessing, lostAnswer } = report.recovery;
  expect(intendedRequests).toBe(SMOKE.recovery.creates * 3);
  expect(unknownBeforeProcessing.injected).toBeGreaterThan(0);
  expect(unknownBeforeProcessing).toMatchObject({ failures: 0, requests: intendedRequests + unknownBeforeProcessing.injected });
  expect(lostAnswer.injected).toBeGreaterThan(0);
  expect(lostAnswer.failures).toBe(0);
  // The dynamic host stores __provider in inputs and outputs; the plugin stores none of it.
  const { providerBytes, state } = report.footprint;
  expect(providerBytes).toBeGreaterThan(0);
  for (const tenant of ["plain", "linked"] as const) {
    const [dynamic, plugin] = [state.dynamic[tenant], state.plugin[tenant]];
    expect(dynamic.outputsBytes).toBeGreaterThan(providerBytes);
    expect(dynamic.inputsBytes + dynamic.outputsBytes - (plugin.inputsBytes + plugin.outputsBytes)).toBeGreaterThan(providerBytes);
  }
  const table = formatReport(report, new Date("2026-11-22T00:00:00Z"));
  expect(table).toMatch(/^Measured 2026-11-22 on \d+ cores .* Node v\d+/);
  expect(table).toContain(`| failures | 0 |`);
}, 120_000);

it("leaves no provider host running when its npm is killed", async () => {
  const { child: npm, output } = await startUntil("npm", ["run", "bench", "--", "--smoke"], /^bench: per-operation/, { cwd: REPO_ROOT, timeoutMs: 120_000 });
  let tree: number[] = [];
  try {
    tree = await descendantsOnceRunning(npm.pid!, /dynamic-provider/);
    npm.kill("SIGKILL");
    expect(await survivorsAfter(tree, 10_000)).toEqual([]);
    // It stopped where it was, instead of running on to print its table.
    expect(output.filter((line) => line.startsWith("| failures |"))).toEqual([]);
  } finally {
    killAll([npm.pid!, ...tree]);
  }
}, 180_000);
