/**
 * Starts the emulated tenant API on a local port.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHandler, type JournalEntry } from "./app";
import { FaultInjector, type FaultRule } from "./faults";
import { TenantStore } from "./store";

export interface StartOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Persist tenants to this JSON file; in memory only when absent. */
  stateFile?: string;
  adminToken?: string;
  memberToken?: string;
  rateLimitPerMinute?: number;
  /** Faults injected from the start (more can be added through `faults`). */
  faults?: FaultRule[];
  /** The draws (from 0 up to 1) for faults' `share`; a seeded generator makes them repeatable. Math.random by default. */
  random?: () => number;
  /** GET /v1/tenants/{id} answers 403: the emulator's tokens are users of no tenant the API creates. */
  readsNeedMembership?: boolean;
}

export interface RunningEmulator {
  url: string;
  adminToken: string;
  memberToken: string;
  store: TenantStore;
  faults: FaultInjector;
  /** Requests received (after authentication), oldest first. */
  journal: JournalEntry[];
  /** Resolves when no request is being handled (a delayed one included). */
  idle(): Promise<void>;
  /** Counts since start: TCP connections accepted, and answers by status ("none" for dropped). */
  stats: { connections: number; answers: Record<string, number> };
  close(): Promise<void>;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const store = new TenantStore(options.stateFile);
  const adminToken = options.adminToken ?? `emu_admin_${randomBytes(16).toString("hex")}`;
  const memberToken = options.memberToken ?? `emu_member_${randomBytes(16).toString("hex")}`;
  const faults = new FaultInjector(options.random);
  for (const rule of options.faults ?? []) faults.failNext(rule);
  const journal: JournalEntry[] = [];
  const stats = { connections: 0, answers: {} as Record<string, number> };
  let inFlight = 0;
  const idle = new EventEmitter();
  const monitor = {
    started: () => void inFlight++,
    ended(status: number | undefined) {
      const key = String(status ?? "none");
      stats.answers[key] = (stats.answers[key] ?? 0) + 1;
      if (--inFlight === 0) idle.emit("idle");
    },
  };
  const server = createServer(
    createHandler({
      store,
      adminToken,
      memberToken,
      rateLimitPerMinute: options.rateLimitPerMinute,
      readsNeedMembership: options.readsNeedMembership,
      faults,
      journal,
      monitor,
    }),
  );
  server.on("connection", () => void stats.connections++);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    adminToken,
    memberToken,
    store,
    faults,
    journal,
    stats,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.once("idle", resolve))),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
