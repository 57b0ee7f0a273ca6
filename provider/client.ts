/**
 * The CauseFlow tenant API client: one object, one connection pool, one retry loop.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, type Dispatcher } from "undici";
import type { z } from "zod";
import { APIConnectionError, APIError, APITimeoutError, NotFoundError, PermissionDeniedError, UnexpectedResponseError } from "./errors";
import { retryDelay, type Outcome, type RetryPolicy } from "./retry";
import { apiTenantPageSchema, apiTenantSchema, type ApiTenant, type TenantSettings } from "./schema";

export interface ClientOptions {
  baseUrl: URL | string;
  token: string;
  /** Per HTTP request. Default 30 s. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Shared connection pool; the client makes its own when not given. */
  dispatcher?: Dispatcher;
  /** Connections the client's own pool opens to the API at most; further requests wait for one. Default 16. */
  maxConnections?: number;
}

export interface CreateTenantBody {
  name: string;
  slug: string;
  ownerEmail: string;
  plan?: string;
  settings?: Omit<TenantSettings, "autoRemediation">;
}

/** `null` clears a setting; an absent key keeps its value. */
export interface UpdateTenantBody {
  name?: string;
  settings?: { [K in keyof TenantSettings]?: TenantSettings[K] | null };
}

export interface TenantPage {
  tenants: { tenantId: string; name: string }[];
  cursor: string | null;
}

/** One attempt's outcome, with what the error to report needs besides. */
type Attempt = Outcome & { requestId?: string; cause?: unknown };

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, retryTimeoutMs: 120_000, baseDelayMs: 500, maxDelayMs: 20_000 };
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);

export class CauseFlowClient {
  readonly baseUrl: URL;
  readonly #token: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #requestTimeoutMs: number;
  readonly #retry: RetryPolicy;

  constructor(options: ClientOptions) {
    this.baseUrl = new URL(options.baseUrl);
    this.#token = options.token;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#ownsDispatcher = options.dispatcher === undefined;
    // A cap, because the engine runs resource operations with unbounded parallelism by default, and
    // because undici frees a connection a tick after its body is read: a request sent at once
    // opens another one (32 connections for 16 operations in flight, before the cap).
    this.#dispatcher =
      options.dispatcher ??
      new Agent({ keepAliveTimeout: 30_000, connections: options.maxConnections ?? 16, connect: { timeout: this.#requestTimeoutMs } });
  }

  createTenant(body: CreateTenantBody): Promise<ApiTenant> {
    return this.#request("POST", "/v1/tenants", apiTenantSchema, body);
  }

  getTenant(tenantId: string): Promise<ApiTenant> {
    return this.#request("GET", `/v1/tenants/${encodeURIComponent(tenantId)}`, apiTenantSchema);
  }

  updateTenant(tenantId: string, body: UpdateTenantBody): Promise<ApiTenant> {
    return this.#request("PATCH", `/v1/tenants/${encodeURIComponent(tenantId)}`, apiTenantSchema, body);
  }

  listTenants(page: { limit?: number; cursor?: string } = {}): Promise<TenantPage> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    const suffix = query.size > 0 ? `?${query}` : "";
    return this.#request("GET", `/v1/tenants${suffix}`, apiTenantPageSchema);
  }

  /**
   * The tenant with this slug, if this token can see it. List items carry no slug, so each
   * candidate is read; those named `nameHint` are read first, as the likeliest match.
   */
  async findTenantBySlug(slug: string, nameHint?: string): Promise<ApiTenant | undefined> {
    const candidates: TenantPage["tenants"] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.listTenants({ limit: 100, cursor });
      candidates.push(...page.tenants);
      cursor = page.cursor ?? undefined;
      // A cursor seen before would page forever.
      if (cursor !== undefined && seenCursors.has(cursor)) break;
      if (cursor !== undefined) seenCursors.add(cursor);
    } while (cursor);
    candidates.sort((a, b) => Number(b.name === nameHint) - Number(a.name === nameHint));
    for (const { tenantId } of candidates) {
      // Gone since the list, or not readable by this token (reads are for users of that tenant): not it.
      const tenant = await this.getTenant(tenantId).catch((error: unknown) => {
        if (error instanceof NotFoundError || error instanceof PermissionDeniedError) return undefined;
        throw error;
      });
      if (tenant?.slug === slug) return tenant;
    }
    return undefined;
  }

  /** Closes the connection pool if the client made it. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#send(method, path, body);
      const delay = retryDelay(this.#retry, {
        method,
        attempt,
        outcome,
        elapsedMs: Date.now() - started,
        nowMs: Date.now(),
        random: Math.random,
      });
      if (delay === undefined) return this.#settle(outcome, schema, attempt);
      await sleep(delay);
    }
  }

  async #send(method: string, path: string, body: unknown): Promise<Attempt> {
    try {
      const response = await this.#dispatcher.request({
        origin: this.baseUrl.origin,
        path: this.baseUrl.pathname.replace(/\/$/, "") + path,
        method: method as Dispatcher.HttpMethod,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: "application/json",
          "user-agent": "causeflow-pulumi",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.#requestTimeoutMs,
        bodyTimeout: this.#requestTimeoutMs,
      });
      const text = await response.body.text();
      const requestId = response.headers["x-request-id"];
      return {
        kind: "response",
        status: response.statusCode,
        headers: response.headers,
        body: parseBody(this.#redact(text)),
        requestId: Array.isArray(requestId) ? requestId[0] : requestId,
      };
    } catch (error) {
      return { kind: "error", code: errorCode(error), cause: error };
    }
  }

  #settle<S extends z.ZodType>(outcome: Attempt, schema: S, attempts: number): z.output<S> {
    const tried = attempts > 1 ? ` after ${attempts} attempts` : "";
    if (outcome.kind === "error") {
      const ErrorClass = TIMEOUT_CODES.has(outcome.code ?? "") ? APITimeoutError : APIConnectionError;
      const what = ErrorClass === APITimeoutError ? "timed out" : "failed";
      throw new ErrorClass(
        `request to ${this.baseUrl.origin} ${what}${tried} (${outcome.code ?? "no error code"})`,
        outcome.code,
        { cause: outcome.cause },
      );
    }
    if (outcome.status < 200 || outcome.status >= 300) {
      const error = APIError.fromResponse(outcome.status, outcome.body, outcome.requestId);
      error.message += tried;
      throw error;
    }
    const parsed = schema.safeParse(outcome.body);
    if (!parsed.success) {
      const problem = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
        .join("; ");
      throw new UnexpectedResponseError(
        `the API answered ${outcome.status} with a body this client cannot read (${problem})`,
        outcome.status,
        outcome.requestId,
      );
    }
    return parsed.data;
  }

  /** The token must never reach an error, even if the server echoes it back. (A few characters alone reveal nothing.) */
  #redact(text: string): string {
    return this.#token.length >= 6 ? text.split(this.#token).join("[redacted]") : text;
  }
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; errors?: { code?: unknown }[] } | undefined;
  const code = candidate?.code ?? candidate?.errors?.[0]?.code;
  return typeof code === "string" ? code : undefined;
}
