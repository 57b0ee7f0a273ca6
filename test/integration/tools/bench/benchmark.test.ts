/** The benchmark at tiny sizes, so that it keeps working; its figures are not asserted as timings. */
import { runBenchmark, SMOKE } from "../../../../tools/bench/benchmark";
import { hasRevision } from "../../../../tools/engine-model/revision";
import { formatReport } from "../../../../tools/bench/run";
import { REPO_ROOT } from "../../../support/repo";
import { descendantsOnceRunning, itOnLinux, killAll, startUntil, survivorsAfter } from "../../../support/processes";

// The revision before the 73-byte __provider text, for the before figures, where this clone has it.
const BEFORE = "c0f31e6";

it("runs end to end and upholds what the full run reports", async () => {
  const before = hasRevision(BEFORE) ? BEFORE : undefined;
  const report = await runBenchmark({ ...SMOKE, before });
  const sides = before ? (["floor", "before", "dynamic", "plugin"] as const) : (["floor", "dynamic", "plugin"] as const);
  expect(report.sides).toEqual(sides);
  // The floor sends the same requests through the same host, with none of our provider around them.
  for (const operation of report.operations) expect(operation.hostMs.floor).toBeGreaterThan(0);
  expect(report.operations.map((o) => o.operation).sort()).toEqual(["create", "read", "update"]);
  for (const side of sides.filter((name) => name !== "plugin" && name !== "floor")) {
    const fleet = report.fleet[side]!;
    expect(fleet.failures).toBe(0);
    // Create (POST, read-back, PATCH of autoRemediation), rename (PATCH), refresh (GET).
    expect(fleet.requests - fleet.rateLimited).toBe(SMOKE.fleet * 5);
    expect(fleet.connections).toBeGreaterThan(0);
  }
  for (const side of sides) {
    expect(report.preview[side]!.unchanged).toMatchObject({ httpRequests: 0, changes: 0 });
    expect(report.preview[side]!.oneChange).toMatchObject({ httpRequests: 0, changes: SMOKE.preview });
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
  expect(providerBytes.dynamic).toBeLessThanOrEqual(256);
  if (before) expect(providerBytes.before).toBe(2257);
  // A tenant without secrets (which the plugin carries wrapped): the same inputs and outputs, less __provider twice.
  const [dynamic, plugin] = [state.dynamic!.plain, state.plugin!.plain];
  expect(dynamic.inputsBytes + dynamic.outputsBytes - (plugin.inputsBytes + plugin.outputsBytes)).toBeGreaterThanOrEqual(2 * providerBytes.dynamic!);
  const table = formatReport(report, new Date("2026-11-22T00:00:00Z"));
  expect(table).toMatch(/^Measured 2026-11-22 on \d+ cores .* Node v\d+/);
  expect(table).toMatch(/\| failures \| 0 \| 0 \|/);
}, 180_000);

itOnLinux("leaves no provider host running when its npm is killed", async () => {
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
