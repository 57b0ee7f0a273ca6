/** What the CLI benchmark reports of repeated runs: each operation's median run, and every run's wall time. */
import { medianRuns, type OperationCost } from "../../../../tools/bench/cliFleet";

const cost = (wallSeconds: number, requests = 1): OperationCost => ({
  wallSeconds,
  wallSecondsRuns: [wallSeconds],
  cli: { cpuSeconds: wallSeconds / 2, peakMiB: 100, wroteMiB: 10 },
  provider: { cpuSeconds: 1, peakMiB: 80 },
  programCpuSeconds: 1,
  stateMiB: 1,
  requests,
  rateLimited: 0,
});

it("keeps, per operation, the run of median wall time whole, with every run's wall time in the order they ran", () => {
  const medians = medianRuns([{ "up: create": cost(30, 1) }, { "up: create": cost(10, 2) }, { "up: create": cost(20, 3) }]);
  expect(medians["up: create"]).toEqual({ ...cost(20, 3), wallSecondsRuns: [30, 10, 20] });
});

it("takes the lower of the two middle runs of an even count, and the operations a run measured", () => {
  const medians = medianRuns([{ refresh: cost(4), "up: create": cost(9) }, { refresh: cost(2) }, { refresh: cost(3) }, { refresh: cost(1) }]);
  expect(medians.refresh!.wallSeconds).toBe(2);
  expect(medians["up: create"]!.wallSecondsRuns).toEqual([9]);
  expect(Object.keys(medians)).toEqual(["up: create", "refresh"]);
});
