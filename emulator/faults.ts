/**
 * Faults the emulator can inject, so clients (and users rehearsing an outage) meet the API's
 * failures on purpose: a given status for the next N requests that match a route.
 */
export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Path to match, exactly or by pattern; any when absent. */
  path?: string | RegExp;
  status: number;
  /** The error code in the body; derived from the status when absent. */
  code?: string;
  /** How many matching requests fail; 1 when absent. */
  count?: number;
}

export interface InjectedFailure {
  status: number;
  code: string;
  message: string;
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

  /** Makes the next `count` matching requests fail with `status`. */
  failNext(rule: FaultRule): void {
    this.#rules.push({ ...rule, remaining: rule.count ?? 1 });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The failure for this request, if a rule matches; each match uses up one of the rule's count. */
  take(method: string, path: string): InjectedFailure | undefined {
    const rule = this.#rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.method === undefined || r.method === method) &&
        (r.path === undefined || (typeof r.path === "string" ? r.path === path : r.path.test(path))),
    );
    if (!rule) return undefined;
    rule.remaining--;
    const code = rule.code ?? CODES[rule.status] ?? (rule.status >= 500 ? "internal_error" : "error");
    return { status: rule.status, code, message: `Injected fault: ${rule.status} ${code}` };
  }
}
