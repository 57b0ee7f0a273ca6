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
  close(): Promise<void>;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const store = new TenantStore(options.stateFile);
  const adminToken = options.adminToken ?? `emu_admin_${randomBytes(16).toString("hex")}`;
  const memberToken = options.memberToken ?? `emu_member_${randomBytes(16).toString("hex")}`;
  const faults = new FaultInjector();
  for (const rule of options.faults ?? []) faults.failNext(rule);
  const journal: JournalEntry[] = [];
  let inFlight = 0;
  const idle = new EventEmitter();
  const onInFlight = (delta: 1 | -1) => {
    inFlight += delta;
    if (inFlight === 0) idle.emit("idle");
  };
  const server = createServer(
    createHandler({ store, adminToken, memberToken, rateLimitPerMinute: options.rateLimitPerMinute, faults, journal, onInFlight }),
  );
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
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.once("idle", resolve))),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
