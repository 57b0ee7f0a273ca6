/**
 * When to try an API call again, and after how long: a pure function of what happened.
 *
 * Why not undici's RetryHandler: the API's own wait hint can sit in the error body
 * (`details.retryAfterSeconds`), which that handler never reads; its throwOnError mode
 * drops the last error body; and a POST may be repeated only when it provably never reached
 * the server, which needs the error code next to the method. The client keeps one loop and
 * asks this function each time.
 */

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** No retry is started whose wait would end later than this, counted from the first attempt. */
  retryTimeoutMs: number;
  /** First backoff step; doubles each attempt, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Error codes meaning the request never reached the server, so even a POST is safe to send again. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Error codes worth retrying for idempotent requests. */
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
  method: string;
  /** 1 for the attempt that just ended. */
  attempt: number;
  outcome: Outcome;
  elapsedMs: number;
  nowMs: number;
  random: () => number;
}

/** Milliseconds to wait before the next attempt, or undefined to stop and report the outcome. */
export function retryDelay(policy: RetryPolicy, ctx: RetryContext): number | undefined {
  if (ctx.attempt >= policy.maxAttempts || !isRetryable(ctx.method, ctx.outcome)) return undefined;
  const hinted = ctx.outcome.kind === "response" ? hintedDelay(ctx.outcome, ctx.nowMs) : undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (ctx.attempt - 1));
  const delay = hinted ?? Math.round(backoff * ctx.random());
  return ctx.elapsedMs + delay > policy.retryTimeoutMs ? undefined : delay;
}

function isRetryable(method: string, outcome: Outcome): boolean {
  if (outcome.kind === "error") {
    const code = outcome.code ?? "";
    return method === "POST" ? NOT_SENT_CODES.has(code) : TRANSIENT_CODES.has(code);
  }
  // A 429 was turned away before any work, so it is safe for POST too; a 5xx after a POST
  // may hide a tenant that was created, and is not retried blindly.
  if (method === "POST") return outcome.status === 429;
  return RETRYABLE_STATUSES.has(outcome.status);
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
