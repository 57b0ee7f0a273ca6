/**
 * Starts the emulated tenant API on a local port.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHandler, type JournalEntry } from "./app";
import { FaultInjector } from "./faults";
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
}

export interface RunningEmulator {
  url: string;
  adminToken: string;
  memberToken: string;
  store: TenantStore;
  faults: FaultInjector;
  /** Requests received (after authentication), oldest first. */
  journal: JournalEntry[];
  close(): Promise<void>;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const store = new TenantStore(options.stateFile);
  const adminToken = options.adminToken ?? `emu_admin_${randomBytes(16).toString("hex")}`;
  const memberToken = options.memberToken ?? `emu_member_${randomBytes(16).toString("hex")}`;
  const faults = new FaultInjector();
  const journal: JournalEntry[] = [];
  const server = createServer(
    createHandler({ store, adminToken, memberToken, rateLimitPerMinute: options.rateLimitPerMinute, faults, journal }),
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
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
