/**
 * The emulated CauseFlow tenant API: the four documented endpoints, their validation and error
 * bodies, bearer auth with admin and member roles, list pagination and per-token rate limits.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { PLANS, SLUG_PATTERN } from "../../provider/core/tenantRules";
import type { FaultInjector, FaultPlan } from "./faults";
import type { StoredTenant, TenantStore } from "./store";

export interface EmulatorOptions {
  store: TenantStore;
  adminToken: string;
  memberToken: string;
  /** Requests per token per minute; the business plan's 2,000 by default. */
  rateLimitPerMinute?: number;
  faults?: FaultInjector;
  /**
   * GET /v1/tenants/{id} is for "a user of that tenant" (CONTRACT.md), and the tokens here are
   * users of no tenant the API creates: reads of one tenant answer 403. Off by default.
   */
  readsNeedMembership?: boolean;
  /** Every request that passed authentication is appended here, for tests and the benchmark. */
  journal?: JournalEntry[];
  /** Told when each request starts and how it ended: its status, or undefined when unanswered. */
  monitor?: { started(): void; ended(status: number | undefined): void };
}

export interface JournalEntry {
  method: string;
  path: string;
  body?: unknown;
}

/** An error the API answers with, as its documented JSON body. */
class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

// The server's own view of a request body, written from the reference pages. Formats the
// reference does not state (ARN, region) are left to the service, as the real API leaves them.
const awsSettings = {
  awsRoleArn: z.string().min(1).optional(),
  awsExternalId: z.string().min(1).optional(),
  awsRegion: z.string().min(1).optional(),
};
const createBody = z.strictObject({
  name: z.string().min(1),
  slug: z.string().regex(SLUG_PATTERN, "must be lowercase alphanumeric characters and hyphens only"),
  ownerEmail: z.email(),
  plan: z.enum(PLANS).optional(),
  settings: z.strictObject(awsSettings).optional(),
});
const patchBody = z.strictObject({
  name: z.string().min(1).optional(),
  settings: z
    .strictObject({
      awsRoleArn: awsSettings.awsRoleArn.nullable(),
      awsExternalId: awsSettings.awsExternalId.nullable(),
      awsRegion: awsSettings.awsRegion.nullable(),
      autoRemediation: z.boolean().nullable().optional(),
    })
    .optional(),
});

type Role = "admin" | "member";
interface Caller {
  role: Role;
  token: string;
}

export function createHandler(options: EmulatorOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { store } = options;
  const limit = options.rateLimitPerMinute ?? 2000;
  const windows = new Map<string, { start: number; count: number }>();
  let requests = 0;

  function authenticate(req: IncomingMessage): Caller {
    const header = req.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : "";
    if (token === options.adminToken) return { role: "admin", token };
    if (token === options.memberToken) return { role: "member", token };
    throw new ApiFailure(401, "unauthorized", token ? "Invalid or expired token" : "Missing bearer token");
  }

  /** Fixed one-minute windows per token; every answer carries the headers, a refusal the wait. */
  function rateLimit(token: string, res: ServerResponse): void {
    const now = Date.now();
    const windowStart = now - (now % 60_000);
    const window = windows.get(token);
    const current = window && window.start === windowStart ? window : { start: windowStart, count: 0 };
    current.count++;
    windows.set(token, current);
    const reset = Math.ceil((windowStart + 60_000) / 1000);
    res.setHeader("X-RateLimit-Limit", String(limit));
    res.setHeader("X-RateLimit-Remaining", String(Math.max(0, limit - current.count)));
    res.setHeader("X-RateLimit-Reset", String(reset));
    if (current.count > limit) {
      const retryAfterSeconds = Math.max(1, reset - Math.floor(now / 1000));
      throw new ApiFailure(429, "rate_limit_exceeded", "Rate limit exceeded", { retryAfterSeconds });
    }
  }

  function requireAdmin(role: Role): void {
    if (role !== "admin") throw new ApiFailure(403, "forbidden", "This action requires the admin role");
  }

  function find(tenantId: string): StoredTenant {
    const tenant = store.get(tenantId);
    if (!tenant) throw new ApiFailure(404, "not_found", `Tenant ${tenantId} not found`);
    return tenant;
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    { role, token }: Caller,
    fault: FaultPlan,
  ): Promise<[number, unknown]> {
    rateLimit(token, res);
    const method = req.method ?? "GET";
    const journalEntry: JournalEntry = { method, path: url.pathname + url.search };
    options.journal?.push(journalEntry);
    if (fault.failure) {
      const { status, code, message, retryAfterSeconds } = fault.failure;
      if (retryAfterSeconds !== undefined) {
        res.setHeader("X-RateLimit-Remaining", "0");
        res.setHeader("X-RateLimit-Reset", String(Math.ceil(Date.now() / 1000 + retryAfterSeconds)));
      }
      throw new ApiFailure(status, code, message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
    }
    if (url.pathname === "/v1/tenants") {
      if (method === "POST") {
        requireAdmin(role);
        const body = withoutFields(parse(createBody, await readJson(req, journalEntry)), fault.dropFields);
        if (store.findBySlug(body.slug)) {
          throw new ApiFailure(409, "slug_conflict", `A tenant with slug '${body.slug}' already exists`);
        }
        const tenant = store.create({
          name: body.name,
          slug: body.slug,
          ownerEmail: body.ownerEmail,
          plan: body.plan ?? "starter",
          settings: { ...body.settings, autoRemediation: false },
        });
        return [201, created(tenant)];
      }
      if (method === "GET") return [200, list(url)];
    }
    const match = /^\/v1\/tenants\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const tenantId = decodeURIComponent(match[1]);
      if (method === "GET") {
        // Existence first: a client tells a tenant that is gone (404) from one it may not read (403).
        const tenant = find(tenantId);
        if (options.readsNeedMembership) throw new ApiFailure(403, "forbidden", `Only users of tenant ${tenantId} can read it`);
        return [200, full(tenant)];
      }
      if (method === "PATCH") {
        requireAdmin(role);
        const body = withoutFields(parse(patchBody, await readJson(req, journalEntry)), fault.dropFields);
        const tenant = find(tenantId);
        const settings: Record<string, unknown> = { ...tenant.settings };
        for (const [key, value] of Object.entries(body.settings ?? {})) {
          if (value === null) delete settings[key];
          else if (value !== undefined) settings[key] = value;
        }
        settings.autoRemediation ??= false;
        return [200, full(store.put({ ...tenant, name: body.name ?? tenant.name, settings: settings as unknown as StoredTenant["settings"] }))];
      }
    }
    if (match || url.pathname === "/v1/tenants") {
      throw new ApiFailure(405, "method_not_allowed", `${method} is not supported on ${url.pathname}`);
    }
    throw new ApiFailure(404, "not_found", `No route for ${method} ${url.pathname}`);
  }

  function list(url: URL): unknown {
    const limitText = url.searchParams.get("limit") ?? "20";
    const pageSize = Number(limitText);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      throw new ApiFailure(400, "validation_error", "limit must be a whole number from 1 to 100");
    }
    const cursor = url.searchParams.get("cursor");
    const offset = cursor === null ? 0 : Number(Buffer.from(cursor, "base64url").toString());
    if (!Number.isInteger(offset) || offset < 0) throw new ApiFailure(400, "validation_error", "cursor is not valid");
    const all = store.all();
    const page = all.slice(offset, offset + pageSize);
    const next = offset + pageSize < all.length ? Buffer.from(String(offset + pageSize)).toString("base64url") : null;
    const tenants = page.map(({ tenantId, name, plan, status }) => ({ tenantId, name, plan, status }));
    return { tenants, cursor: next, count: tenants.length };
  }

  /** Handles one request; resolves with the status sent, or undefined when none was. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number | undefined> {
    requests++;
    res.setHeader("X-Request-Id", `req_${requests.toString(36)}_${randomBytes(4).toString("hex")}`);
    let status: number;
    let body: unknown;
    let fault: FaultPlan = { latencyMs: 0, slowAnswerMs: 0, dropFields: [] };
    try {
      const url = parseUrl(req.url);
      // Before the faults: a request that fails authentication neither meets nor uses one up.
      const caller = authenticate(req);
      fault = options.faults?.take(req.method ?? "GET", url.pathname) ?? fault;
      // Unref'd: a delayed answer must not keep a closed emulator's process alive.
      if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { ref: false });
      if (fault.drop === "before") return void req.socket.destroy();
      [status, body] = await route(req, res, url, caller, fault);
    } catch (error) {
      if (req.socket.destroyed) return; // the client hung up (a timeout on its side): nobody to answer
      const failure = error instanceof ApiFailure ? error : new ApiFailure(500, "internal_error", "The emulator failed unexpectedly");
      if (!(error instanceof ApiFailure)) console.error(error);
      status = failure.status;
      body = { error: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) };
    }
    // Processed, and the answer late, or lost on the way back: what a reset after a commit looks like.
    if (fault.slowAnswerMs > 0) await sleep(fault.slowAnswerMs, undefined, { ref: false });
    if (fault.drop === "after" || req.socket.destroyed) return void req.socket.destroy();
    // An answer before the whole body arrived (a 413, say) closes the connection rather than read the rest.
    if (!req.complete) res.setHeader("Connection", "close");
    send(res, status, body);
    return status;
  }

  return (req, res) => {
    options.monitor?.started();
    void handle(req, res).then(
      (status) => options.monitor?.ended(status),
      () => options.monitor?.ended(undefined),
    );
  };
}

/** The request as a service that silently drops some settings would apply it. */
function withoutFields<T extends { settings?: object }>(body: T, fields: string[]): T {
  if (fields.length === 0 || !body.settings) return body;
  const settings = Object.fromEntries(Object.entries(body.settings).filter(([key]) => !fields.includes(key)));
  return { ...body, settings };
}

function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? "/", "http://emulator");
  } catch {
    throw new ApiFailure(400, "validation_error", "The request target is not a valid URL path");
  }
}

/** POST answers without settings, as the reference's example does. */
function created(tenant: StoredTenant): unknown {
  const { tenantId, name, slug, status, plan, createdAt } = tenant;
  return { tenantId, name, slug, status, plan, createdAt };
}

/** GET and PATCH answer with the full tenant, settings included; ownerEmail is never returned. */
function full(tenant: StoredTenant): unknown {
  return { ...(created(tenant) as object), settings: tenant.settings };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = Object.fromEntries(result.error.issues.map((issue) => [issue.path.join(".") || "body", issue.message]));
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  throw new ApiFailure(400, "validation_error", summary, { fields });
}

async function readJson(req: IncomingMessage, entry: JournalEntry): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Left undestroyed when the limit stops the loop, so the 413 can still be sent on its socket.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiFailure(413, "payload_too_large", "Request body exceeds 1 MiB");
    chunks.push(chunk);
  }
  try {
    entry.body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return entry.body;
  } catch {
    throw new ApiFailure(400, "validation_error", "Request body is not valid JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
