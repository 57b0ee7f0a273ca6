/**
 * The CauseFlow tenant API client: one object, one connection pool, one retry loop.
 */
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, type Dispatcher } from "undici";
import type { z } from "zod";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  NotFoundError,
  PermissionDeniedError,
  UnexpectedResponseError,
  type CauseFlowError,
  type FailedRequest,
  type TenantApiProbe,
} from "./errors";
import { DEFAULT_RETRY, outcomeUnknown, retryDelay, type Outcome, type RetryPolicy } from "./retry";
import { apiTenantPageSchema, apiTenantSchema, type ApiTenant, type TenantSettings } from "../core/tenantSchema";

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

export interface TenantListItem {
  tenantId: string;
  name: string;
  /** Documented in list items; read defensively, since a page might leave it out. */
  plan?: unknown;
}

export interface TenantPage {
  tenants: TenantListItem[];
  cursor: string | null;
}

export interface SlugSearch {
  /** Only list items passing this are read; all are read without it. */
  only?: (item: TenantListItem) => boolean;
  /** Items passing this are read first, as the likeliest holders. */
  prefer?: (item: TenantListItem) => boolean;
  /**
   * Its reads go on retrying after stopRetrying(): the search that completes the record of a
   * create whose answer was lost, so that a Ctrl-C does not leave that tenant unrecorded.
   */
  outlastsCancel?: boolean;
}

/** How one call retries. */
interface CallOptions {
  /** Retries go on after stopRetrying() (see SlugSearch.outlastsCancel). */
  outlastsCancel?: boolean;
}

export interface SlugSearchResult {
  tenant?: ApiTenant;
  /** Candidates this token was not allowed to read (reads are for users of that tenant). */
  unreadable: number;
}

/** One attempt's outcome, with what the error to report needs besides. */
type Attempt = Outcome & { request: FailedRequest; requestId?: string; cause?: unknown };

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);

export class CauseFlowClient {
  readonly baseUrl: URL;
  readonly #token: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #requestTimeoutMs: number;
  readonly #retry: RetryPolicy;
  #probe?: Promise<TenantApiProbe>;
  /** How far the API's clock is ahead of ours, from the Date header of its latest answer. */
  #serverClockOffsetMs = 0;
  readonly #retriesStopped = new AbortController();

  constructor(options: ClientOptions) {
    this.baseUrl = new URL(options.baseUrl);
    this.#token = options.token;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    // One listener per call waiting to retry, as many as a fleet has in flight: not a leak, and
    // Node's warning past ten would reach the user as a diagnostic of the dynamic provider.
    setMaxListeners(0, this.#retriesStopped.signal);
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

  getTenant(tenantId: string, call: CallOptions = {}): Promise<ApiTenant> {
    return this.#request("GET", `/v1/tenants/${encodeURIComponent(tenantId)}`, apiTenantSchema, undefined, call);
  }

  updateTenant(tenantId: string, body: UpdateTenantBody): Promise<ApiTenant> {
    return this.#request("PATCH", `/v1/tenants/${encodeURIComponent(tenantId)}`, apiTenantSchema, body);
  }

  listTenants(page: { limit?: number; cursor?: string } = {}, call: CallOptions = {}): Promise<TenantPage> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    const suffix = query.size > 0 ? `?${query}` : "";
    return this.#request("GET", `/v1/tenants${suffix}`, apiTenantPageSchema, undefined, call);
  }

  /**
   * The tenant with this slug, if this token can see and read it. List items carry no slug, so
   * candidates are read one by one until one holds it.
   */
  async findTenantBySlug(slug: string, search: SlugSearch = {}): Promise<SlugSearchResult> {
    const candidates: TenantListItem[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.listTenants({ limit: 100, cursor }, search);
      candidates.push(...page.tenants.filter(search.only ?? (() => true)));
      cursor = page.cursor ?? undefined;
      // A cursor seen before would page forever.
      if (cursor !== undefined && seenCursors.has(cursor)) break;
      if (cursor !== undefined) seenCursors.add(cursor);
    } while (cursor);
    const prefer = search.prefer ?? (() => false);
    candidates.sort((a, b) => Number(prefer(b)) - Number(prefer(a)));
    let unreadable = 0;
    for (const { tenantId } of candidates) {
      // Gone since the list (not it), or not readable by this token (counted: it may be it).
      const tenant = await this.getTenant(tenantId, search).catch((error: unknown) => {
        if (error instanceof PermissionDeniedError) unreadable++;
        else if (!(error instanceof NotFoundError)) throw error;
        return undefined;
      });
      if (tenant?.slug === slug) return { tenant, unreadable };
    }
    return { unreadable };
  }

  /**
   * Whether the base URL serves the CauseFlow tenant API, judged by its tenant list answering as
   * documented. Asked once per client, and only when a 404 needs it: a framework answers JSON
   * `not_found` for any path it does not serve, so only such a URL's `not_found` proves a tenant gone.
   */
  probeTenantApi(): Promise<TenantApiProbe> {
    this.#probe ??= this.listTenants({ limit: 1 }).then(
      (): TenantApiProbe => ({ serves: true }),
      (error: Error): TenantApiProbe => ({
        serves: false,
        definite: error instanceof NotFoundError || error instanceof UnexpectedResponseError,
        request: { method: "GET", url: this.#url("/v1/tenants?limit=1") },
        answer: error.message,
      }),
    );
    return this.#probe;
  }

  /** A time of this machine's clock on the API's clock, as its Date headers tell the difference. */
  toServerTime(localMs: number): number {
    return localMs + this.#serverClockOffsetMs;
  }

  /** Closes the connection pool if the client made it. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /**
   * Stops retrying, for the engine's Cancel (a first Ctrl-C): a call waiting to try again reports
   * its last answer now, and none tries again. Requests in flight finish, so that what they did is
   * recorded; nothing waits out a backoff the user asked to end.
   */
  stopRetrying(): void {
    this.#retriesStopped.abort();
  }

  async #request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, call: CallOptions = {}): Promise<z.output<S>> {
    const started = Date.now();
    let unknownOutcome = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#send(method, path, body);
      unknownOutcome ||= outcomeUnknown(outcome);
      const delay = retryDelay(this.#retry, { attempt, outcome, elapsedMs: Date.now() - started, nowMs: Date.now(), random: Math.random });
      const retried = delay !== undefined && (await this.#waitToRetry(delay, call));
      if (!retried) {
        try {
          return this.#settle(outcome, schema, attempt, delay !== undefined);
        } catch (error) {
          // A success whose body cannot be read was carried out all the same.
          (error as CauseFlowError).unknownOutcome = unknownOutcome || error instanceof UnexpectedResponseError;
          (error as CauseFlowError).retriesStopped = delay !== undefined;
          throw error;
        }
      }
    }
  }

  /** Waits `delayMs`; false, at once or as soon as it happens, if retries are stopped (unless the call outlasts that). */
  async #waitToRetry(delayMs: number, call: CallOptions): Promise<boolean> {
    if (call.outlastsCancel) return sleep(delayMs).then(() => true);
    const stopped = this.#retriesStopped.signal;
    await sleep(delayMs, undefined, { signal: stopped }).catch(() => undefined);
    return !stopped.aborted;
  }

  #url(path: string): string {
    return this.baseUrl.origin + this.#path(path);
  }

  #path(path: string): string {
    return this.baseUrl.pathname.replace(/\/$/, "") + path;
  }

  async #send(method: string, path: string, body: unknown): Promise<Attempt> {
    const request = { method, url: this.#url(path) };
    try {
      const response = await this.#dispatcher.request({
        origin: this.baseUrl.origin,
        path: this.#path(path),
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
      const serverDate = Date.parse(String(response.headers.date));
      if (Number.isFinite(serverDate)) this.#serverClockOffsetMs = serverDate - Date.now();
      return {
        kind: "response",
        status: response.statusCode,
        headers: response.headers,
        body: this.#redact(parseBody(this.#redact(text))),
        request,
        requestId: Array.isArray(requestId) ? requestId[0] : requestId,
      };
    } catch (error) {
      return { kind: "error", code: errorCode(error), request, cause: error };
    }
  }

  #settle<S extends z.ZodType>(outcome: Attempt, schema: S, attempts: number, retriesStopped: boolean): z.output<S> {
    const tried = (attempts > 1 ? ` after ${attempts} attempts` : "") + (retriesStopped ? ", not tried again: the run was cancelled" : "");
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
      const error = APIError.fromResponse(outcome.status, outcome.body, outcome.requestId, outcome.request);
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

  /**
   * The token must never reach an error, however the server echoes it: in the raw text, and in
   * every string of the parsed body (where JSON escapes such as \u0041 may have spelt it), keys
   * included, at any depth. (A few characters alone reveal nothing.)
   */
  #redact<T>(value: T): T {
    if (this.#token.length < 6) return value;
    const redact = (item: unknown): unknown => {
      if (typeof item === "string") return item.split(this.#token).join("[redacted]");
      if (Array.isArray(item)) return item.map(redact);
      if (typeof item !== "object" || item === null) return item;
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [redact(key), redact(inner)]));
    };
    return redact(value) as T;
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
