/**
 * Production tenants are protected. The API cannot delete a tenant: a `pulumi up` whose program
 * no longer declares one only drops it from the stack, and the tenant keeps running in CauseFlow
 * with nobody managing it. `protect: true` makes such an `up` fail instead.
 */
import { setting, STACK_PATTERNS, stackMatches } from "./config";
import { tenantPolicy } from "./definePolicy";
import { violation, type Finding, type Tenant } from "./tenant";

export interface ProductionProtectionConfig {
  /** Stack name patterns that are production. */
  productionStacks: string[];
}

export const DEFAULT_PRODUCTION_STACKS = ["prod", "production", "prod-*", "production-*", "*-prod", "*-production"];

export function checkProductionProtection(tenant: Tenant, config: ProductionProtectionConfig): Finding[] {
  if (tenant.protect || !stackMatches(tenant.stack, config.productionStacks)) return [];
  return [
    violation(
      "protect",
      `the resource option protect is not set, and stack "${tenant.stack}" is a production stack ` +
        `(${setting("productionStacks", config.productionStacks)}). Add \`protect: true\` to the tenant's resource options ` +
        "(`pulumi state unprotect` releases it when it really must go).",
    ),
  ];
}

export const productionProtection = tenantPolicy<ProductionProtectionConfig>({
  name: "causeflow-production-protected",
  description:
    "Production tenants are protected: the CauseFlow API cannot delete a tenant, so a `pulumi up` that drops one from the program " +
    "only removes it from the stack and leaves it running in CauseFlow, unmanaged.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      productionStacks: {
        ...STACK_PATTERNS,
        default: DEFAULT_PRODUCTION_STACKS,
        description: `Production stacks, by name; * matches any characters. Default: ${DEFAULT_PRODUCTION_STACKS.join(", ")}.`,
      },
    },
  },
  check: checkProductionProtection,
});
