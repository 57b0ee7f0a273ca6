import { DEFAULT_RETRY, outcomeUnknown, retryDelay, type Outcome, type RetryPolicy } from "../../../../provider/client/retry";

const policy: RetryPolicy = { maxAttempts: 5, retryTimeoutMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };
const now = Date.UTC(2026, 0, 1);
const response = (status: number, headers: Record<string, string> = {}, body?: unknown): Outcome => ({ kind: "response", status, headers, body });
const delay = (outcome: Outcome, attempt = 1, elapsedMs = 0) => retryDelay(policy, { attempt, outcome, elapsedMs, nowMs: now, random: () => 1 });

describe("retryDelay", () => {
  it.each([429, 500, 502, 503, 504])("retries on %i", (status) => {
    expect(delay(response(status))).toBe(500);
  });

  it.each([400, 401, 403, 404, 409])("never retries %i", (status) => {
    expect(delay(response(status))).toBeUndefined();
  });

  it("backs off exponentially with equal jitter (half of each step fixed, half drawn), capped", () => {
    expect([1, 2, 3, 4].map((attempt) => delay(response(503), attempt))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelay({ ...policy, maxAttempts: 10 }, { attempt: 8, outcome: response(503), elapsedMs: 0, nowMs: now, random: () => 1 })).toBe(8000);
    expect(retryDelay(policy, { attempt: 1, outcome: response(503), elapsedMs: 0, nowMs: now, random: () => 0.5 })).toBe(375);
    expect(retryDelay(policy, { attempt: 3, outcome: response(503), elapsedMs: 0, nowMs: now, random: () => 0 })).toBe(1000);
  });

  it("by default, spans at least 20 seconds of outage before giving up, and reports a lasting one within a minute", () => {
    const waits = (random: () => number) =>
      Array.from({ length: DEFAULT_RETRY.maxAttempts }, (_, i) => retryDelay(DEFAULT_RETRY, { attempt: i + 1, outcome: response(503), elapsedMs: 0, nowMs: now, random }));
    const sum = (delays: (number | undefined)[]) => delays.reduce<number>((total, wait) => total + (wait ?? 0), 0);
    expect(waits(() => 0).at(-1)).toBeUndefined();
    expect(sum(waits(() => 0))).toBeGreaterThan(20_000);
    expect(sum(waits(() => 1))).toBeLessThan(60_000);
  });

  it("stops after the last attempt and when the wait would pass the retry budget", () => {
    expect(delay(response(503), 5)).toBeUndefined();
    expect(delay(response(503), 1, 59_800)).toBeUndefined();
  });

  it("honours Retry-After in seconds and as a date, X-RateLimit-Reset and details.retryAfterSeconds, taking the longest", () => {
    expect(delay(response(503, { "retry-after": "3" }))).toBe(3000);
    expect(delay(response(503, { "retry-after": new Date(now + 4000).toUTCString() }))).toBe(4000);
    expect(delay(response(429, { "x-ratelimit-reset": String(now / 1000 + 7) }))).toBe(7000);
    expect(delay(response(429, {}, { details: { retryAfterSeconds: 2 } }))).toBe(2000);
    expect(delay(response(429, { "retry-after": "1", "x-ratelimit-reset": String(now / 1000 + 5) }, { details: { retryAfterSeconds: 2 } }))).toBe(5000);
  });

  it("does not wait for a rate-limit reset on a response that is not a 429", () => {
    expect(delay(response(503, { "x-ratelimit-reset": String(now / 1000 + 50) }))).toBe(500);
  });

  it("retries on resets, refusals and timeouts but not on unknown errors", () => {
    expect(delay({ kind: "error", code: "ECONNREFUSED" })).toBe(500);
    expect(delay({ kind: "error", code: "ECONNRESET" })).toBe(500);
    expect(delay({ kind: "error", code: "UND_ERR_HEADERS_TIMEOUT" })).toBe(500);
    expect(delay({ kind: "error", code: "ERR_TLS_CERT_ALTNAME_INVALID" })).toBeUndefined();
    expect(delay({ kind: "error", code: undefined })).toBeUndefined();
  });
});

describe("outcomeUnknown", () => {
  it("holds for answers that may hide work done: 5xx, resets and timeouts after sending", () => {
    for (const outcome of [response(500), response(503), { kind: "error", code: "ECONNRESET" }, { kind: "error", code: "UND_ERR_HEADERS_TIMEOUT" }, { kind: "error", code: undefined }] as Outcome[]) {
      expect(outcomeUnknown(outcome)).toBe(true);
    }
  });

  it("does not hold where nothing can have been done: 4xx, refused connections, DNS failures", () => {
    for (const outcome of [response(409), response(429), response(400), { kind: "error", code: "ECONNREFUSED" }, { kind: "error", code: "ENOTFOUND" }] as Outcome[]) {
      expect(outcomeUnknown(outcome)).toBe(false);
    }
  });
});
