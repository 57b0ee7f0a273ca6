/**
 * Faults the emulator injects on purpose, so the provider (and users rehearsing an outage) meet
 * the API's failures: added latency, a given status, 429 storms with reset headers, connections
 * dropped before or after the request is processed, and settings silently not applied.
 */

export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Path to match, exactly or by pattern; any when absent. */
  path?: string | RegExp;
  /** Answer with this status (and the API's error body) instead of processing the request. */
  status?: number;
  /** The error code in the body; derived from the status when absent. */
  code?: string;
  /** With status 429: the reset the headers and `details.retryAfterSeconds` announce. Default 1. */
  retryAfterSeconds?: number;
  /** Wait this long before handling the request; every matching request unless `count` says otherwise. */
  latencyMs?: number;
  /**
   * Handle the request, then wait this long before answering: a service that committed and is
   * slow to say so, where a client killed meanwhile never learns the outcome.
   */
  slowAnswerMs?: number;
  /** Close the connection without answering: before processing the request, or after. */
  drop?: "before" | "after";
  /**
   * Settings keys a POST or PATCH silently does not apply, though it answers success; every
   * matching request unless `count` says otherwise.
   */
  dropFields?: string[];
  /**
   * How many matching requests the rule applies to. Default: the next one when the rule has
   * `status` or `drop` (whatever else it has), unless it has `share`; otherwise every one.
   */
  count?: number;
  /** The fraction of matching requests it applies to, drawn at random. Default 1. */
  share?: number;
}

/** What the rules that matched a request ask of it. */
export interface FaultPlan {
  latencyMs: number;
  slowAnswerMs: number;
  drop?: "before" | "after";
  failure?: { status: number; code: string; message: string; retryAfterSeconds?: number };
  dropFields: string[];
}

const CODES: Record<number, string> = {
  400: "validation_error",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "slug_conflict",
  429: "rate_limit_exceeded",
  503: "service_unavailable",
};

export class FaultInjector {
  readonly #rules: (FaultRule & { remaining: number })[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * Adds a rule: `failNext({ status: 503, count: 2 })` makes the next two requests fail,
   * `failNext({ latencyMs: 300 })` slows every request.
   */
  failNext(rule: FaultRule): void {
    this.#rules.push({ ...rule, remaining: rule.count ?? defaultCount(rule) });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The plan for one request: every matching rule applies, and each uses up one of its count. */
  take(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, slowAnswerMs: 0, dropFields: [] };
    for (const rule of this.#rules) {
      if (rule.remaining <= 0 || !matches(rule, method, path)) continue;
      if (rule.share !== undefined && this.random() >= rule.share) continue;
      rule.remaining--;
      plan.latencyMs += rule.latencyMs ?? 0;
      plan.slowAnswerMs += rule.slowAnswerMs ?? 0;
      plan.drop ??= rule.drop;
      plan.dropFields.push(...(rule.dropFields ?? []));
      if (rule.status !== undefined && !plan.failure) {
        const code = rule.code ?? CODES[rule.status] ?? (rule.status >= 500 ? "internal_error" : "error");
        const retryAfterSeconds = rule.status === 429 ? (rule.retryAfterSeconds ?? 1) : undefined;
        plan.failure = { status: rule.status, code, message: `Injected fault: ${rule.status} ${code}`, retryAfterSeconds };
      }
    }
    return plan;
  }
}

/**
 * A status or a drop stands in for the service's answer, an event one asks for once; latency, slow
 * answers and dropped fields describe a degraded service, a condition that lasts. A rule with both is an event.
 */
function defaultCount(rule: FaultRule): number {
  const answersInstead = rule.status !== undefined || rule.drop !== undefined;
  return answersInstead && rule.share === undefined ? 1 : Infinity;
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === "string" ? rule.path === path : rule.path.test(path);
}

/**
 * Reads a rule from its command-line form: space-separated key=value pairs, e.g.
 * `status=503 method=POST count=2`, `status=429 retry-after=2 count=5`, `latency=300 share=0.5`,
 * `drop=after method=POST`, `slow-answer=5000 method=POST`, `drop-fields=awsRoleArn,awsExternalId`,
 * `path=/v1/tenants`.
 */
export function parseFaultRule(spec: string): FaultRule {
  const rule: FaultRule = {};
  const number = (key: string, text: string, check: (n: number) => boolean) => {
    const value = Number(text);
    if (!check(value)) throw new Error(`fault "${spec}": ${key}=${text} is not valid`);
    return value;
  };
  for (const pair of spec.trim().split(/\s+/).filter(Boolean)) {
    const [key, text = ""] = pair.split("=", 2);
    switch (key) {
      case "method":
        rule.method = text.toUpperCase();
        break;
      case "path":
        rule.path = text;
        break;
      case "status":
        rule.status = number(key, text, (n) => Number.isInteger(n) && n >= 400 && n <= 599);
        break;
      case "code":
        rule.code = text;
        break;
      case "retry-after":
        rule.retryAfterSeconds = number(key, text, (n) => n >= 0);
        break;
      case "latency":
        rule.latencyMs = number(key, text, (n) => n >= 0);
        break;
      case "slow-answer":
        rule.slowAnswerMs = number(key, text, (n) => n >= 0);
        break;
      case "drop":
        if (text !== "before" && text !== "after") throw new Error(`fault "${spec}": drop must be before or after`);
        rule.drop = text;
        break;
      case "drop-fields":
        rule.dropFields = text.split(",").filter(Boolean);
        break;
      case "count":
        rule.count = number(key, text, (n) => Number.isInteger(n) && n > 0);
        break;
      case "share":
        rule.share = number(key, text, (n) => n > 0 && n <= 1);
        break;
      default:
        throw new Error(
          `fault "${spec}": unknown key "${key}"; use method, path, status, code, retry-after, latency, slow-answer, drop, drop-fields, count, share`,
        );
    }
  }
  if (rule.status === undefined && rule.latencyMs === undefined && rule.slowAnswerMs === undefined && rule.drop === undefined && rule.dropFields === undefined) {
    throw new Error(`fault "${spec}" does nothing: give status, latency, slow-answer, drop or drop-fields`);
  }
  return rule;
}
