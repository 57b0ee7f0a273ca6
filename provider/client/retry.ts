/**
 * When to try an API call again, and after how long: a pure function of what happened.
 *
 * Every request of the tenant API is safe to send again: GET reads, PATCH sets absolute values,
 * and POST creates a tenant under a globally unique slug, so a POST whose first attempt did
 * create it meets `409 slug_conflict` instead of a second tenant. The caller resolves that 409
 * (the error's `unknownOutcome` says an earlier attempt may have been processed).
 *
 * Why not undici's RetryHandler: the API's own wait hint can sit in the error body
 * (`details.retryAfterSeconds`), which that handler never reads, and its throwOnError mode
 * drops the last error body. The client keeps one loop and asks this function each time.
 */

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** No retry is started whose wait would end later than this, counted from the first attempt. */
  retryTimeoutMs: number;
  /** First backoff step; doubles each attempt, with equal jitter (half the step fixed, half drawn). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The defaults: 8 attempts, whose waits (0.5, 1, 2, 4, 8, 16, 20 s steps, equal jitter) span
 * 25.75 to 51.5 s, so a call outlasts a 20-second outage, and one whose attempts fail fast reports
 * a lasting outage within a minute; 120 s bounds waits the server asks for (a rate limit's reset).
 */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, retryTimeoutMs: 120_000, baseDelayMs: 500, maxDelayMs: 20_000 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Error codes meaning the request never reached the server: nothing can have been processed. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Error codes worth retrying. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  ...NOT_SENT_CODES,
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export type Outcome =
  | { kind: "response"; status: number; headers: Record<string, string | string[] | undefined>; body: unknown }
  | { kind: "error"; code: string | undefined };

export interface RetryContext {
  /** 1 for the attempt that just ended. */
  attempt: number;
  outcome: Outcome;
  elapsedMs: number;
  nowMs: number;
  random: () => number;
}

/** Milliseconds to wait before the next attempt, or undefined to stop and report the outcome. */
export function retryDelay(policy: RetryPolicy, ctx: RetryContext): number | undefined {
  if (ctx.attempt >= policy.maxAttempts || !isRetryable(ctx.outcome)) return undefined;
  const hinted = ctx.outcome.kind === "response" ? hintedDelay(ctx.outcome, ctx.nowMs) : undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (ctx.attempt - 1));
  // Equal jitter, not full: the fixed half gives the attempts a known least span (DEFAULT_RETRY's
  // rides out a 20-second outage every time), the drawn half keeps a fleet's retries apart.
  const delay = hinted ?? Math.round(backoff / 2 + (backoff / 2) * ctx.random());
  return ctx.elapsedMs + delay > policy.retryTimeoutMs ? undefined : delay;
}

function isRetryable(outcome: Outcome): boolean {
  if (outcome.kind === "error") return TRANSIENT_CODES.has(outcome.code ?? "");
  return RETRYABLE_STATUSES.has(outcome.status);
}

/**
 * True when the attempt may have been carried out though its answer says nothing of the result:
 * a 5xx, or a connection that failed after the request may have reached the server. A refused or
 * never-opened connection, and any 4xx, prove that nothing was done.
 */
export function outcomeUnknown(outcome: Outcome): boolean {
  if (outcome.kind === "error") return !NOT_SENT_CODES.has(outcome.code ?? "");
  return outcome.status >= 500;
}

/** The longest of the server's hints: Retry-After, X-RateLimit-Reset (on 429), details.retryAfterSeconds. */
function hintedDelay(outcome: Extract<Outcome, { kind: "response" }>, nowMs: number): number | undefined {
  const hints: number[] = [];
  const retryAfter = header(outcome.headers, "retry-after");
  if (retryAfter !== undefined) {
    const secondsValue = Number(retryAfter);
    const ms = Number.isFinite(secondsValue) ? secondsValue * 1000 : Date.parse(retryAfter) - nowMs;
    if (Number.isFinite(ms)) hints.push(ms);
  }
  const reset = Number(header(outcome.headers, "x-ratelimit-reset"));
  if (outcome.status === 429 && Number.isFinite(reset) && reset > 0) hints.push(reset * 1000 - nowMs);
  const details = (outcome.body as { details?: { retryAfterSeconds?: unknown } } | undefined)?.details;
  if (typeof details?.retryAfterSeconds === "number") hints.push(details.retryAfterSeconds * 1000);
  return hints.length === 0 ? undefined : Math.max(0, ...hints.map(Math.ceil));
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
