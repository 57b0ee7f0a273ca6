/**
 * `npm run bench:cli` (tools/bench/cli.ts) at its smallest, as CI can afford it: every provider
 * (the "before" one where this clone has its revision) through every operation of the real CLI,
 * each operation's cost measured, its requests as the operation implies, its CPU profile kept,
 * and the results written whole.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { CLI_OPERATIONS, CLI_PROVIDERS, type CliFleetResults } from "../../tools/bench/cliFleet";
import { hasRevision } from "../../tools/engine-model/revision";
import { REPO_ROOT } from "../support/repo";
import { describeWithCli } from "../support/cli/workspace";

const SIZE = 5;
// The providers measured at a smaller size only, as --largest lets a full run spare the slowest.
const SMALL = 2;
// The hand-written provider the README's "before" column is, where this clone's history has it.
const BEFORE = "c0f31e6";

describeWithCli()("npm run bench:cli", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), "cf-bench-cli-test-"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("runs each provider through each operation, measuring the CLI and the provider, and writes the results", async () => {
    const out = path.join(folder, "results.json");
    const profiles = path.join(folder, "profiles");
    const before = hasRevision(BEFORE);
    if (!before) process.stderr.write(`bench:cli test: this clone lacks ${BEFORE}, so the "before" provider is not run\n`);
    const providers = CLI_PROVIDERS.filter((provider) => provider !== "before" || before);
    const args = ["--sizes", `${SMALL},${SIZE}`, "--providers", providers.join(","), "--largest", `before=${SMALL},split=${SMALL}`, "--profiles", profiles, "--out", out, ...(before ? ["--before", BEFORE] : [])];
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "dist", "tools", "bench", "cli.js"), ...args], { cwd: REPO_ROOT, timeout: 380_000 });
    expect(stderr).toMatch(new RegExp(`bench:cli \\[\\d+ s\\] plugin, ${SIZE} tenants: up: rename all in \\d+\\.\\d s`));
    expect(stdout).toContain(`${SIZE} tenants, rate limit 2000/min`);
    const { results } = JSON.parse(readFileSync(out, "utf8")) as { results: CliFleetResults };
    expect(stdout).toMatch(/\| up: create \|.* not run \|/);
    for (const provider of providers) {
      const size = provider === "before" || provider === "split" ? SMALL : SIZE;
      if (size === SMALL) expect({ provider, measuredAtSize: results[provider][SIZE] !== undefined }).toEqual({ provider, measuredAtSize: false });
      const costs = results[provider][size];
      const unmeasured = CLI_OPERATIONS.filter((operation) => !(costs[operation]!.cli.cpuSeconds > 0 && costs[operation]!.provider.peakMiB > 0 && costs[operation]!.programCpuSeconds > 0));
      expect({ provider, unmeasured }).toEqual({ provider, unmeasured: [] });
      // A create and a rename send one write per tenant, a refresh one read, a preview nothing.
      expect({ provider, create: costs["up: create"]!.requests, preview: costs["preview: one renamed"]!.requests, refresh: costs["refresh"]!.requests, rename: costs["up: rename all"]!.requests }).toEqual({ provider, create: size, preview: 0, refresh: size, rename: size });
      expect(costs["up: create"]!.stateMiB).toBeGreaterThan(0);
      expect(costs["up: create"]!.cli.wroteMiB).toBeGreaterThan(costs["up: create"]!.stateMiB);
    }
    // One CPU profile of the CLI per provider and operation, named for them; the traces and the Automation API's other commands' profiles gone.
    const expected = providers.flatMap((provider) => [SMALL, ...(provider === "before" || provider === "split" ? [] : [SIZE])].flatMap((size) => CLI_OPERATIONS.map((operation) => `${provider}-${size}-${operation.replace(/\W+/g, "-")}.cpu`)));
    expect(readdirSync(profiles).sort()).toEqual(expected.sort());
  }, 400_000);
});
