/**
 * The benchmark: what the provider costs, measured through both hosts over gRPC (the real
 * dynamic-provider host, and the plugin) against the emulator on loopback, each figure next to
 * the baseline it compares with, the variants interleaved in one run. Given an earlier revision
 * (`--before <git revision>`), its dynamic host runs beside them as the "before" of each figure.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { Agent } from "undici";
import * as causeflow from "../../sdk/dynamic";
import type { FaultRule } from "../emulator/faults";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { ProviderHost } from "../engine-model/host";
import type { Props } from "../../provider/core/tenantRules";
import { PluginTenant } from "../engine-model/pluginTenant";
import { runProgram } from "../engine-model/program";
import { installRevision } from "../engine-model/revision";
import { secret } from "../../provider/plugin/wire";
import { PACKAGE_ROOT } from "../packageRoot";
import { FLOOR_PROVIDER_TEXT } from "./floorProvider";

export interface BenchOptions {
  /** Repetitions of each timed operation; figures are medians. */
  repeats: number;
  /** Host spawns for the cold-start figure. */
  coldStarts: number;
  /** Tenants the fleet creates and then renames. */
  fleet: number;
  /** Operations in flight at once, as the engine runs independent resources in parallel. */
  inFlight: number;
  /** Tenants in each preview. */
  preview: number;
  /** The emulator's limit for the fleet, per token per minute. */
  rateLimitPerMinute: number;
  /** Runs of the fleet (each may wait out a rate-limit window) and of each preview; figures are medians. */
  fleetRuns: number;
  previewRuns: number;
  /**
   * Creates after POSTs whose outcome is unknown: tenants the token already sees, creates, the
   * share of POSTs that fail, and at most how many fail (fewer than a create's attempts, so that
   * every create gets through).
   */
  recovery: { visible: number; creates: number; share: number; most?: number };
  /** A git revision of this package whose dynamic host is measured beside this one's, as "before". */
  before?: string;
}

export const FULL: BenchOptions = {
  repeats: 31,
  coldStarts: 15,
  fleet: 500,
  inFlight: 16,
  preview: 1000,
  rateLimitPerMinute: 2000,
  fleetRuns: 3,
  previewRuns: 7,
  recovery: { visible: 1000, creates: 100, share: 0.05 },
};
export const SMOKE: BenchOptions = {
  repeats: 3,
  coldStarts: 1,
  fleet: 6,
  inFlight: 3,
  preview: 6,
  rateLimitPerMinute: 2000,
  fleetRuns: 2,
  previewRuns: 2,
  recovery: { visible: 150, creates: 6, share: 0.5, most: 4 },
};

export type HostKind = "dynamic" | "plugin";
/**
 * What is measured: the floor (the same dynamic host running a provider that only sends the
 * requests), an earlier revision's dynamic host, this package's dynamic host, and the plugin.
 */
export const SIDES = ["floor", "before", "dynamic", "plugin"] as const;
export type SideName = (typeof SIDES)[number];
/** A figure per side measured; "before" only when an earlier revision was given. */
export type PerSide<T> = Partial<Record<SideName, T>>;

export interface OperationFigure {
  operation: string;
  /** Through each host. */
  hostMs: PerSide<number>;
  directMs: number;
  /** Each host's time less the direct request's. */
  addedMs: PerSide<number>;
}

export interface FleetFigure {
  requests: number;
  wallSeconds: number;
  lowerBoundSeconds: number;
  rateLimited: number;
  failures: number;
  connections: number;
  /** The host's peak resident memory after the fleet, the highest of the runs. */
  hostPeakMemoryMiB: number;
}

export interface BenchReport {
  options: BenchOptions;
  /** The sides measured, in order. */
  sides: SideName[];
  operations: OperationFigure[];
  /** Spawn to the first answered call (a check), including starting Node and loading the host. */
  coldStartMs: PerSide<number>;
  /** On a host that has just started: its first check (what a preview pays), its first create after it, and a first read on a host of its own (what a refresh pays). */
  firstCallsMs: PerSide<FirstCalls>;
  /** The fleet, through each dynamic host (the plugin's calls are the same requests). */
  fleet: PerSide<FleetFigure>;
  preview: PerSide<{ unchanged: PreviewFigure; oneChange: PreviewFigure }>;
  recovery: { intendedRequests: number; unknownBeforeProcessing: RecoveryFigure; lostAnswer: RecoveryFigure };
  footprint: {
    /** Each dynamic host's `__provider` text; the plugin stores none. */
    providerBytes: PerSide<number>;
    /** A tenant's inputs and outputs in state, through each host: a plain one, and one with AWS settings and autoRemediation. */
    state: PerSide<Record<"plain" | "linked", { inputsBytes: number; outputsBytes: number }>>;
  };
}

export interface FirstCalls {
  check: number;
  create: number;
  read: number;
}

export interface RecoveryFigure {
  /** POSTs the emulator failed on purpose. */
  injected: number;
  requests: number;
  /** Requests sent per request the same creates send when nothing fails. */
  perIntended: number;
  failures: number;
}

export interface PreviewFigure {
  wallMs: number;
  httpRequests: number;
  changes: number;
}

/** Where the provider host starts: it must resolve @causeflow/pulumi from there, as a program's directory does. */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const elapsed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** Runs `work` over `items` with at most `limit` in flight; returns the failures. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<unknown[]> {
  const failures: unknown[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((error) => failures.push(error));
    }
  });
  await Promise.all(lanes);
  return failures;
}

/** The program's inputs for tenant `slug`, as the engine sends them to check. */
function tenantInputs(template: Props, slug: string): Props {
  return { ...template, slug, name: `Tenant ${slug}` };
}

/** Requests the emulator has answered or dropped since it started. */
function requestCount(emulator: RunningEmulator): number {
  return Object.values(emulator.stats.answers).reduce((sum, n) => sum + n, 0);
}

/** A side's host, started in its program directory and configured as the engine does, against the emulator. */
async function startHost(emulator: RunningEmulator, side: Pick<Side, "kind" | "cwd">): Promise<ProviderHost> {
  const { kind, cwd } = side;
  const host = kind === "dynamic" ? await ProviderHost.start({ cwd }) : await ProviderHost.startPlugin({ cwd });
  try {
    if (kind === "dynamic") await host.configure({ "causeflow:apiUrl": emulator.url, "causeflow:apiToken": emulator.adminToken });
    else await host.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
  } catch (error) {
    await host.stop(); // it never exits by itself
    throw error;
  }
  return host;
}

/** A program's tenant as each host receives it: with `__provider` for the dynamic host, secrets wrapped for the plugin. */
interface Template {
  urn: string;
  inputs: Props;
}

/** One side of the comparison: its host, where it starts, and the tenants as its programs register them. */
interface Side {
  name: SideName;
  kind: HostKind;
  cwd: string;
  plain: Template;
  linked: Template;
}

export async function runBenchmark(options: BenchOptions, progress: (line: string) => void = () => undefined): Promise<BenchReport> {
  // A plain tenant for the per-operation figures (one request each), and a tenant linked to AWS
  // with auto-remediation for the fleet (POST, a read-back of its settings, the PATCH of autoRemediation).
  const plainArgs = { name: "Bench", slug: "bench", ownerEmail: "owner@bench.example", plan: "business" as const };
  const linkedArgs = {
    ...plainArgs,
    settings: {
      awsRoleArn: "arn:aws:iam::123456789012:role/CauseFlow",
      awsExternalId: "causeflow-bench-external-id",
      awsRegion: "us-east-1",
      autoRemediation: true,
    },
  };
  const scratch = options.before ? mkdtempSync(path.join(tmpdir(), "cf-bench-before-")) : undefined;
  try {
    const sides: Side[] = [];
    if (options.before) {
      progress(`building ${options.before} from git, for the before figures`);
      const { program } = installRevision(options.before, scratch!);
      // That revision's SDK, as its programs registered the tenant (its own __provider text).
      const { Tenant } = require(path.join(program, "node_modules", "@causeflow", "pulumi")) as typeof causeflow;
      const [plain, linked] = await runProgram(() => [new Tenant("plain", plainArgs), new Tenant("linked", linkedArgs)]);
      sides.push({ name: "before", kind: "dynamic", cwd: program, plain, linked });
    }
    const [plain, linked] = await runProgram(() => [new causeflow.Tenant("plain", plainArgs), new causeflow.Tenant("linked", linkedArgs)]);
    const withFloor = (template: Template): Template => ({ ...template, inputs: { ...template.inputs, __provider: FLOOR_PROVIDER_TEXT } });
    sides.unshift({ name: "floor", kind: "dynamic", cwd: PACKAGE_ROOT, plain: withFloor(plain), linked: withFloor(linked) });
    sides.push({ name: "dynamic", kind: "dynamic", cwd: PACKAGE_ROOT, plain, linked });
    const [pluginPlain, pluginLinked] = await runProgram(() => [new PluginTenant("plain", plainArgs), new PluginTenant("linked", linkedArgs)], { keepSecrets: true });
    sides.push({ name: "plugin", kind: "plugin", cwd: PACKAGE_ROOT, plain: pluginPlain, linked: pluginLinked });
    return await measureAll(options, sides, progress);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function measureAll(options: BenchOptions, sides: Side[], progress: (line: string) => void): Promise<BenchReport> {
  const perSide = async <T>(measure: (side: Side) => Promise<T>, which = sides): Promise<PerSide<T>> => {
    const figures: PerSide<T> = {};
    for (const side of which) figures[side.name] = await measure(side);
    return figures;
  };
  const names = sides.map((side) => side.name).join(", ");
  progress(`per-operation overhead (${options.repeats} of each, warm: ${names})`);
  const operations = await measureOperations(options, sides);
  progress(`cold start and first calls (${options.coldStarts} spawns of each host: ${names})`);
  const starts = await perSide((side) => measureColdStart(options, side));
  // The floor sends one request per call, not the tenant's: it has no fleet, recovery or state of its own to show.
  const dynamicSides = sides.filter((side) => side.kind === "dynamic" && side.name !== "floor");
  const realSides = sides.filter((side) => side.name !== "floor");
  const fleet = await perSide(async (side) => {
    const runs: FleetFigure[] = [];
    for (let run = 1; run <= options.fleetRuns; run++) {
      progress(`fleet ${run}/${options.fleetRuns} (${side.name}): ${options.fleet} tenants created, renamed and refreshed, ${options.inFlight} in flight, limit ${options.rateLimitPerMinute}/min`);
      runs.push(await measureFleet(options, side));
    }
    const of = (figure: (run: FleetFigure) => number) => median(runs.map(figure));
    return {
      requests: of((r) => r.requests),
      wallSeconds: of((r) => r.wallSeconds),
      lowerBoundSeconds: of((r) => r.lowerBoundSeconds),
      rateLimited: of((r) => r.rateLimited),
      failures: runs.reduce((sum, r) => sum + r.failures, 0),
      connections: of((r) => r.connections),
      hostPeakMemoryMiB: Math.max(...runs.map((r) => r.hostPeakMemoryMiB)),
    };
  }, dynamicSides);
  progress(`preview of ${options.preview} tenants, ${options.previewRuns} times each (${names})`);
  const preview = await perSide((side) => measurePreview(options, side));
  const current = sides.find((side) => side.name === "dynamic")!;
  progress(`recovery: ${options.recovery.creates} creates among ${options.recovery.visible} visible tenants, ${options.recovery.share * 100} % of POSTs failing`);
  const recovery = await measureRecovery(options, current);
  progress(`state per tenant (${names})`);
  const footprint = {
    providerBytes: await perSide(async (side) => Buffer.byteLength(String(side.plain.inputs.__provider ?? "")), dynamicSides),
    state: await perSide(async (side) => ({ plain: await measureState(side, side.plain), linked: await measureState(side, side.linked) }), realSides),
  };
  const pick = <K extends keyof Awaited<ReturnType<typeof measureColdStart>>>(key: K) =>
    Object.fromEntries(Object.entries(starts).map(([name, figure]) => [name, figure![key]])) as PerSide<Awaited<ReturnType<typeof measureColdStart>>[K]>;
  return { options, sides: sides.map((side) => side.name), operations, coldStartMs: pick("coldStartMs"), firstCallsMs: pick("firstCalls"), fleet, preview, recovery, footprint };
}

/** Create, read and update through each side's host, against the same request sent directly with undici, interleaved. */
async function measureOperations(options: BenchOptions, sides: Side[]): Promise<OperationFigure[]> {
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  const hosts = new Map<Side, ProviderHost>();
  const direct = new Agent({ keepAliveTimeout: 30_000 });
  const send = async (method: string, route: string, body?: object) => {
    const response = await direct.request({
      origin: emulator.url,
      path: route,
      method: method as "GET",
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
    return (await response.body.json()) as { tenantId: string };
  };
  const samples: Record<string, Partial<Record<SideName | "direct", number[]>>> = {};
  const record = (operation: string, side: SideName | "direct", ms: number) => {
    samples[operation] ??= {};
    (samples[operation][side] ??= []).push(ms);
  };
  try {
    for (const side of sides) hosts.set(side, await startHost(emulator, side));
    // The first rounds warm every side (connections, JIT, the providers); they are not counted.
    const warmup = 3;
    for (let round = 0; round < options.repeats + warmup; round++) {
      const counted = round >= warmup;
      for (const side of sides) {
        const { urn, inputs } = side.plain;
        const host = hosts.get(side)!;
        const checked = (await host.check(urn, {}, tenantInputs(inputs, `op-${side.name}-${round}`))).inputs;
        let created!: { id: string; outputs: Props };
        const create = await elapsed(async () => (created = await host.create(urn, checked)));
        const read = await elapsed(() => host.read(urn, created.id, created.outputs, checked));
        const update = await elapsed(() => host.update(urn, created.id, created.outputs, { ...checked, name: `${checked.name} (renamed)` }));
        if (counted) [["create", create], ["read", read], ["update", update]].forEach(([operation, ms]) => record(operation as string, side.name, ms as number));
      }
      const body = { name: `Tenant op-direct-${round}`, slug: `op-direct-${round}`, ownerEmail: "owner@bench.example", plan: "business" };
      let tenantId = "";
      const create = await elapsed(async () => ({ tenantId } = await send("POST", "/v1/tenants", body)));
      const read = await elapsed(() => send("GET", `/v1/tenants/${tenantId}`));
      const update = await elapsed(() => send("PATCH", `/v1/tenants/${tenantId}`, { name: `${body.name} (renamed)` }));
      if (counted) [["create", create], ["read", read], ["update", update]].forEach(([operation, ms]) => record(operation as string, "direct", ms as number));
    }
  } finally {
    await direct.close();
    await Promise.all([...hosts.values()].map((host) => host.stop()));
    await emulator.close();
  }
  return Object.entries(samples).map(([operation, figures]) => {
    const directMs = median(figures.direct!);
    const hostMs: PerSide<number> = Object.fromEntries(sides.map((side) => [side.name, median(figures[side.name]!)]));
    const addedMs: PerSide<number> = Object.fromEntries(sides.map((side) => [side.name, hostMs[side.name]! - directMs]));
    return { operation, hostMs, directMs, addedMs };
  });
}

/** A tenant's inputs and outputs in state, as a side's host leaves them after a create. */
async function measureState(side: Side, template: Template): Promise<{ inputsBytes: number; outputsBytes: number }> {
  const emulator = await startEmulator();
  const host = await startHost(emulator, side);
  try {
    const { inputs } = await host.check(template.urn, {}, template.inputs);
    const { outputs } = await host.create(template.urn, inputs);
    return { inputsBytes: Buffer.byteLength(JSON.stringify(inputs)), outputsBytes: Buffer.byteLength(JSON.stringify(outputs)) };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/**
 * Spawn to first answered call (starting Node and the host, configure, a check), and each of the
 * first calls a freshly started host answers: a check and then a create, as `pulumi up` sends
 * them; and, on a host of its own, a read, which is a refresh's first call.
 */
async function measureColdStart(options: BenchOptions, side: Side): Promise<{ coldStartMs: number; firstCalls: FirstCalls }> {
  const emulator = await startEmulator();
  const cold: number[] = [];
  const first: Record<keyof FirstCalls, number[]> = { check: [], create: [], read: [] };
  const { urn, inputs: template } = side.plain;
  try {
    for (let i = 0; i < options.coldStarts; i++) {
      let host: ProviderHost | undefined;
      let refreshing: ProviderHost | undefined;
      try {
        const started = performance.now();
        host = await startHost(emulator, side);
        let inputs!: Props;
        first.check.push(await elapsed(async () => ({ inputs } = await host!.check(urn, {}, tenantInputs(template, `cold-${side.name}-${i}`)))));
        cold.push(performance.now() - started);
        let created!: { id: string; outputs: Props };
        first.create.push(await elapsed(async () => (created = await host!.create(urn, inputs))));
        refreshing = await startHost(emulator, side);
        first.read.push(await elapsed(() => refreshing!.read(urn, created.id, created.outputs, inputs)));
      } finally {
        await Promise.all([host?.stop(), refreshing?.stop()]);
      }
    }
  } finally {
    await emulator.close();
  }
  return { coldStartMs: median(cold), firstCalls: { check: median(first.check), create: median(first.create), read: median(first.read) } };
}

/** The fleet: every tenant checked and created, then checked, diffed and renamed, `inFlight` at a time. */
async function measureFleet(options: BenchOptions, side: Side): Promise<FleetFigure> {
  const { inputs: template, urn } = side.linked;
  const emulator = await startEmulator({ rateLimitPerMinute: options.rateLimitPerMinute });
  const host = await startHost(emulator, side);
  const slugs = Array.from({ length: options.fleet }, (_, i) => `fleet-${i}`);
  const states = new Map<string, { id: string; inputs: Props; outputs: Props }>();
  try {
    const started = Date.now();
    const createFailures = await pool(slugs, options.inFlight, async (slug) => {
      const { inputs } = await host.check(urn, {}, tenantInputs(template, slug));
      const { id, outputs } = await host.create(urn, inputs);
      states.set(slug, { id, inputs, outputs });
    });
    const renameFailures = await pool(slugs, options.inFlight, async (slug) => {
      const state = states.get(slug);
      if (!state) return;
      const { inputs } = await host.check(urn, state.inputs, { ...state.inputs, name: `${state.inputs.name} v2` });
      await host.diff(urn, state.id, state.outputs, inputs);
      const { outputs } = await host.update(urn, state.id, state.outputs, inputs);
      states.set(slug, { ...state, inputs, outputs });
    });
    const refreshFailures = await pool(slugs, options.inFlight, async (slug) => {
      const state = states.get(slug);
      if (state) await host.read(urn, state.id, state.outputs, state.inputs);
    });
    const wallSeconds = (Date.now() - started) / 1000;
    await emulator.idle();
    const rateLimited = emulator.stats.answers["429"] ?? 0;
    const requests = requestCount(emulator);
    const succeeded = requests - rateLimited;
    // Fixed one-minute windows: past `limit` requests, the rest waits for the next window.
    const windowEnd = Math.ceil((started + 1) / 60_000) * 60_000;
    const windowsToWait = Math.ceil(succeeded / options.rateLimitPerMinute) - 1;
    const lowerBoundSeconds = windowsToWait <= 0 ? 0 : (windowEnd - started) / 1000 + (windowsToWait - 1) * 60;
    return {
      requests,
      wallSeconds,
      lowerBoundSeconds,
      rateLimited,
      failures: createFailures.length + renameFailures.length + refreshFailures.length,
      connections: emulator.stats.connections,
      hostPeakMemoryMiB: peakMemoryMiB(host.pid) ?? NaN,
    };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/** What `pulumi preview` costs: check and diff of every tenant, unchanged and with one field changed. */
async function measurePreview(options: BenchOptions, side: Side) {
  const { inputs: template, urn } = side.plain;
  const emulator = await startEmulator();
  const host = await startHost(emulator, side);
  try {
    // States as the fleet leaves them; a preview reads none of them from the API.
    const tenants: { id: string; inputs: Props; outputs: Props }[] = [];
    await pool(Array.from({ length: options.preview }, (_, i) => i), options.inFlight, async (i) => {
      const { inputs } = await host.check(urn, {}, tenantInputs(template, `preview-${i}`));
      tenants.push({ id: `ten_${i}`, inputs, outputs: { ...inputs, tenantId: `ten_${i}`, status: "active", createdAt: "2026-01-01T00:00:00Z" } });
    });
    const previewOnce = async (edit: (inputs: Props) => Props): Promise<PreviewFigure> => {
      const before = requestCount(emulator);
      const times: number[] = [];
      let changes = 0;
      for (let run = 0; run < options.previewRuns; run++) {
        changes = 0;
        let failures: unknown[] = [];
        times.push(
          await elapsed(async () => {
            failures = await pool(tenants, options.inFlight, async (tenant) => {
              const { inputs } = await host.check(urn, tenant.inputs, edit(tenant.inputs));
              if ((await host.diff(urn, tenant.id, tenant.outputs, inputs)).changes === "some") changes++;
            });
          }),
        );
        if (failures.length > 0) throw new Error(`the preview failed for ${failures.length} tenants: ${String(failures[0])}`);
      }
      return { wallMs: median(times), httpRequests: requestCount(emulator) - before, changes };
    };
    return {
      unchanged: await previewOnce((inputs) => inputs),
      oneChange: await previewOnce((inputs) => ({ ...inputs, name: `${inputs.name} (edited)` })),
    };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/**
 * What a POST whose outcome is unknown costs: creates among many tenants the token can see, with a
 * share of POSTs answered 503 before processing (the client sends them again), or processed and
 * their answer lost (the second POST meets 409 and the provider looks the slug up), against the
 * requests the same creates send when nothing fails. The failures are drawn from a seeded
 * generator, so every run injects the same number.
 */
async function measureRecovery(options: BenchOptions, side: Side): Promise<BenchReport["recovery"]> {
  const { inputs: template, urn } = side.linked;
  const { visible, creates, share } = options.recovery;
  const run = async (fault?: FaultRule) => {
    const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, random: seeded(7) });
    for (let i = 0; i < visible; i++) {
      emulator.store.create({ name: `Visible ${i}`, slug: `visible-${i}`, ownerEmail: "o@bench.example", plan: "pro", settings: { autoRemediation: false } });
    }
    const host = await startHost(emulator, side);
    try {
      if (fault) emulator.faults.failNext({ ...fault, method: "POST", share, count: options.recovery.most });
      const slugs = Array.from({ length: creates }, (_, i) => `recovery-${i}`);
      const failures = await pool(slugs, options.inFlight, async (slug) => {
        const { inputs } = await host.check(urn, {}, tenantInputs(template, slug));
        await host.create(urn, inputs);
      });
      await emulator.idle();
      const injected = fault?.status ? (emulator.stats.answers[String(fault.status)] ?? 0) : (emulator.stats.answers.none ?? 0);
      return { requests: requestCount(emulator), injected, failures: failures.length };
    } finally {
      await host.stop();
      await emulator.close();
    }
  };
  const intended = (await run()).requests;
  const figure = ({ requests, injected, failures }: Awaited<ReturnType<typeof run>>): RecoveryFigure => ({
    injected,
    requests,
    perIntended: requests / intended,
    failures,
  });
  return {
    intendedRequests: intended,
    unknownBeforeProcessing: figure(await run({ status: 503 })),
    lostAnswer: figure(await run({ drop: "after" })),
  };
}

/** A small seeded generator (mulberry32), so that a share fault fails the same requests each run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Peak resident memory of a process (Linux), in MiB. */
function peakMemoryMiB(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}
