/**
 * The benchmark: what the provider costs, measured through both hosts over gRPC (the real
 * dynamic-provider host, and the plugin) against the emulator on loopback, each figure next to
 * the baseline it compares with, the variants interleaved in one run.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { Agent } from "undici";
import * as causeflow from "../sdk";
import type { FaultRule } from "../emulator/faults";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { ProviderHost, type Props } from "../engine/host";
import { PluginTenant } from "../engine/pluginTenant";
import { runProgram } from "../engine/program";
import { secret } from "../provider/plugin/wire";

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
  /** Creates after POSTs whose outcome is unknown: tenants the token already sees, creates, and the share of POSTs that fail. */
  recovery: { visible: number; creates: number; share: number };
}

export const FULL: BenchOptions = {
  repeats: 31,
  coldStarts: 7,
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
  recovery: { visible: 150, creates: 6, share: 0.5 },
};

export const HOST_KINDS = ["dynamic", "plugin"] as const;
export type HostKind = (typeof HOST_KINDS)[number];
type PerHost<T> = Record<HostKind, T>;

export interface OperationFigure {
  operation: string;
  /** Through each host. */
  hostMs: PerHost<number>;
  directMs: number;
  /** Each host's time less the direct request's. */
  addedMs: PerHost<number>;
}

export interface BenchReport {
  options: BenchOptions;
  operations: OperationFigure[];
  coldStartMs: PerHost<number>;
  fleet: {
    requests: number;
    wallSeconds: number;
    lowerBoundSeconds: number;
    rateLimited: number;
    failures: number;
    connections: number;
  };
  preview: PerHost<{ unchanged: PreviewFigure; oneChange: PreviewFigure }>;
  recovery: { intendedRequests: number; unknownBeforeProcessing: RecoveryFigure; lostAnswer: RecoveryFigure };
  footprint: {
    /** The dynamic host's `__provider` text; the plugin stores none. */
    providerBytes: number;
    /** A tenant's inputs and outputs in state, through each host: a plain one, and one with AWS settings and autoRemediation. */
    state: PerHost<Record<"plain" | "linked", { inputsBytes: number; outputsBytes: number }>>;
    hostPeakMemoryMiB: number;
  };
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
const PACKAGE_ROOT = path.dirname(require.resolve("@causeflow/pulumi/package.json"));
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

/** A host of either kind, started and configured as the engine does, against the emulator. */
async function startHost(emulator: RunningEmulator, kind: HostKind = "dynamic"): Promise<ProviderHost> {
  const host = kind === "dynamic" ? await ProviderHost.start({ cwd: PACKAGE_ROOT }) : await ProviderHost.startPlugin({ cwd: PACKAGE_ROOT });
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
  const [plain, linked] = await runProgram(() => [new causeflow.Tenant("plain", plainArgs), new causeflow.Tenant("linked", linkedArgs)]);
  const [pluginPlain, pluginLinked] = await runProgram(() => [new PluginTenant("plain", plainArgs), new PluginTenant("linked", linkedArgs)], { keepSecrets: true });
  const plainOf: PerHost<Template> = { dynamic: plain, plugin: pluginPlain };

  progress(`per-operation overhead (${options.repeats} of each, warm, both hosts)`);
  const operations = await measureOperations(options, plainOf);
  progress(`cold start (${options.coldStarts} spawns of each host)`);
  const coldStartMs = { dynamic: await measureColdStart(options, plain, "dynamic"), plugin: await measureColdStart(options, pluginPlain, "plugin") };
  const runs: Awaited<ReturnType<typeof measureFleet>>[] = [];
  for (let run = 1; run <= options.fleetRuns; run++) {
    progress(`fleet ${run}/${options.fleetRuns}: ${options.fleet} tenants created, renamed and refreshed, ${options.inFlight} in flight, limit ${options.rateLimitPerMinute}/min`);
    runs.push(await measureFleet(options, linked.inputs, linked.urn));
  }
  const of = (figure: (run: (typeof runs)[number]) => number) => median(runs.map(figure));
  const fleet = {
    requests: of((r) => r.fleet.requests),
    wallSeconds: of((r) => r.fleet.wallSeconds),
    lowerBoundSeconds: of((r) => r.fleet.lowerBoundSeconds),
    rateLimited: of((r) => r.fleet.rateLimited),
    failures: runs.reduce((sum, r) => sum + r.fleet.failures, 0),
    connections: of((r) => r.fleet.connections),
  };
  progress(`preview of ${options.preview} tenants, ${options.previewRuns} times each, both hosts`);
  const preview = { dynamic: await measurePreview(options, plain, "dynamic"), plugin: await measurePreview(options, pluginPlain, "plugin") };
  progress(`recovery: ${options.recovery.creates} creates among ${options.recovery.visible} visible tenants, ${options.recovery.share * 100} % of POSTs failing`);
  const recovery = await measureRecovery(options, linked.inputs, linked.urn);
  progress("state per tenant, both hosts");
  const footprint = {
    providerBytes: Buffer.byteLength(String(plain.inputs.__provider ?? "")),
    state: {
      dynamic: { plain: await measureState(plain, "dynamic"), linked: await measureState(linked, "dynamic") },
      plugin: { plain: await measureState(pluginPlain, "plugin"), linked: await measureState(pluginLinked, "plugin") },
    },
    hostPeakMemoryMiB: Math.max(...runs.map((r) => r.hostPeakMemoryMiB ?? NaN)),
  };
  return { options, operations, coldStartMs, fleet, preview, recovery, footprint };
}

/** Create, read and update through each host, against the same request sent directly with undici, interleaved. */
async function measureOperations(options: BenchOptions, templates: PerHost<Template>): Promise<OperationFigure[]> {
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  const hosts = { dynamic: await startHost(emulator, "dynamic"), plugin: await startHost(emulator, "plugin") };
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
  const samples: Record<string, Record<HostKind | "direct", number[]>> = {};
  const record = (operation: string, side: HostKind | "direct", ms: number) => {
    samples[operation] ??= { dynamic: [], plugin: [], direct: [] };
    samples[operation][side].push(ms);
  };
  try {
    // The first rounds warm every side (connections, JIT, the providers); they are not counted.
    const warmup = 3;
    for (let round = 0; round < options.repeats + warmup; round++) {
      const counted = round >= warmup;
      for (const kind of HOST_KINDS) {
        const { urn, inputs } = templates[kind];
        const host = hosts[kind];
        const checked = (await host.check(urn, {}, tenantInputs(inputs, `op-${kind}-${round}`))).inputs;
        let created!: { id: string; outputs: Props };
        const create = await elapsed(async () => (created = await host.create(urn, checked)));
        const read = await elapsed(() => host.read(urn, created.id, created.outputs, checked));
        const update = await elapsed(() => host.update(urn, created.id, created.outputs, { ...checked, name: `${checked.name} (renamed)` }));
        if (counted) [["create", create], ["read", read], ["update", update]].forEach(([operation, ms]) => record(operation as string, kind, ms as number));
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
    await Promise.all(HOST_KINDS.map((kind) => hosts[kind].stop()));
    await emulator.close();
  }
  return Object.entries(samples).map(([operation, side]) => ({
    operation,
    hostMs: { dynamic: median(side.dynamic), plugin: median(side.plugin) },
    directMs: median(side.direct),
    addedMs: { dynamic: median(side.dynamic) - median(side.direct), plugin: median(side.plugin) - median(side.direct) },
  }));
}

/** A tenant's inputs and outputs in state, as each host leaves them after a create. */
async function measureState(template: Template, kind: HostKind): Promise<{ inputsBytes: number; outputsBytes: number }> {
  const emulator = await startEmulator();
  const host = await startHost(emulator, kind);
  try {
    const { inputs } = await host.check(template.urn, {}, template.inputs);
    const { outputs } = await host.create(template.urn, inputs);
    return { inputsBytes: Buffer.byteLength(JSON.stringify(inputs)), outputsBytes: Buffer.byteLength(JSON.stringify(outputs)) };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/** Spawn to first answered call: starting Node and the host, loading the provider, configure, check. */
async function measureColdStart(options: BenchOptions, template: Template, kind: HostKind): Promise<number> {
  const emulator = await startEmulator();
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.coldStarts; i++) {
      let host: ProviderHost | undefined;
      try {
        samples.push(
          await elapsed(async () => {
            host = await startHost(emulator, kind);
            await host.check(template.urn, {}, tenantInputs(template.inputs, `cold-${i}`));
          }),
        );
      } finally {
        await host?.stop();
      }
    }
  } finally {
    await emulator.close();
  }
  return median(samples);
}

/** The fleet: every tenant checked and created, then checked, diffed and renamed, `inFlight` at a time. */
async function measureFleet(options: BenchOptions, template: Props, urn: string) {
  const emulator = await startEmulator({ rateLimitPerMinute: options.rateLimitPerMinute });
  const host = await startHost(emulator);
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
      fleet: {
        requests,
        wallSeconds,
        lowerBoundSeconds,
        rateLimited,
        failures: createFailures.length + renameFailures.length + refreshFailures.length,
        connections: emulator.stats.connections,
      },
      hostPeakMemoryMiB: peakMemoryMiB(host.pid),
    };
  } finally {
    await host.stop();
    await emulator.close();
  }
}

/** What `pulumi preview` costs: check and diff of every tenant, unchanged and with one field changed. */
async function measurePreview(options: BenchOptions, { inputs: template, urn }: Template, kind: HostKind) {
  const emulator = await startEmulator();
  const host = await startHost(emulator, kind);
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
async function measureRecovery(options: BenchOptions, template: Props, urn: string): Promise<BenchReport["recovery"]> {
  const { visible, creates, share } = options.recovery;
  const run = async (fault?: FaultRule) => {
    const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, random: seeded(7) });
    for (let i = 0; i < visible; i++) {
      emulator.store.create({ name: `Visible ${i}`, slug: `visible-${i}`, ownerEmail: "o@bench.example", plan: "pro", settings: { autoRemediation: false } });
    }
    const host = await startHost(emulator);
    try {
      if (fault) emulator.faults.failNext({ ...fault, method: "POST", share });
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
