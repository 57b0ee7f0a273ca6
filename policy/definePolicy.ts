/**
 * Policies as @pulumi/policy runs them, thin over pure checks: a check takes a tenant (and its
 * policy's config) and returns what it found; `validateResource` and `validateStack` only read
 * the resource, report each violation naming the tenant, and report findings about values not
 * known yet as one advisory.
 */
import type { EnforcementLevel, PolicyConfigSchema, ReportViolation, ResourceValidation, ResourceValidationPolicy, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { configOf } from "./config";
import { describeTenant, NotKnownYet, tenantOf, type Finding, type Tenant } from "./tenant";

export const NOT_A_TENANT = "Policy only applies to CauseFlow tenants (causeflow.Tenant and causeflow:index:Tenant)";

interface Rule {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  configSchema: PolicyConfigSchema;
}

export interface TenantRule<Config> extends Rule {
  check(tenant: Tenant, config: Config): Finding[];
}

export interface StackRule<Config> extends Rule {
  check(tenants: Tenant[], config: Config): Map<Tenant, Finding[]>;
}

export type TenantPolicy<Config> = ResourceValidationPolicy & Rule & { validateResource: ResourceValidation; rule: TenantRule<Config> };
export type StackPolicy<Config> = StackValidationPolicy & Rule & { validateStack: StackValidation; rule: StackRule<Config> };

/** A resource policy that runs `rule.check` on each tenant. The rule stays reachable, for tests. */
export function tenantPolicy<Config>(rule: TenantRule<Config>): TenantPolicy<Config> {
  const { check, ...metadata } = rule;
  return {
    ...metadata,
    rule,
    validateResource(args, reportViolation) {
      const tenant = tenantOf(args);
      if (tenant === undefined) return args.notApplicable(NOT_A_TENANT);
      report([[tenant, check(tenant, configOf<Config>(rule.name, rule.configSchema, args.getConfig<Record<string, unknown>>()))]], reportViolation);
    },
  };
}

/** A stack policy that runs `rule.check` on the stack's tenants together. */
export function stackPolicy<Config>(rule: StackRule<Config>): StackPolicy<Config> {
  const { check, ...metadata } = rule;
  return {
    ...metadata,
    rule,
    validateStack(args, reportViolation) {
      const tenants = args.resources.map(tenantOf).filter((tenant): tenant is Tenant => tenant !== undefined);
      if (tenants.length === 0) return args.notApplicable(NOT_A_TENANT);
      report(check(tenants, configOf<Config>(rule.name, rule.configSchema, args.getConfig<Record<string, unknown>>())), reportViolation);
    },
  };
}

/** Reports each violation; then, if any value a rule needs is not known yet, one advisory saying which. */
function report(found: Iterable<[Tenant, Finding[]]>, reportViolation: ReportViolation): void {
  const unknown: { who: string; findings: Finding[] }[] = [];
  for (const [tenant, findings] of found) {
    const who = describeTenant(tenant);
    for (const finding of findings.filter((f) => f.known)) reportViolation(`${who}: ${finding.message}`, tenant.urn);
    const notKnown = findings.filter((f) => !f.known);
    if (notKnown.length > 0) unknown.push({ who, findings: notKnown });
  }
  if (unknown.length === 0) return;
  const message = unknown.map(({ who, findings }) => `${who}: ${findings.map((f) => f.message).join(" ")}`).join("\n");
  throw new NotKnownYet(message, unknown[0].findings[0].property);
}
