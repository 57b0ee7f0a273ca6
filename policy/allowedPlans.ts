/**
 * Plans come from the contract's allow-list. A plan is billed, and the API cannot change it once
 * the tenant exists, so a plan outside the contract is caught before the tenant is created.
 */
import { DEFAULT_PLAN, PLANS } from "@causeflow/pulumi/rules";
import { setting } from "./config";
import { tenantPolicy } from "./definePolicy";
import { notKnownYet, NOT_KNOWN_YET, violation, type Finding, type Tenant } from "./tenant";

export interface AllowedPlansConfig {
  allowedPlans: string[];
}

export function checkAllowedPlans(tenant: Tenant, config: AllowedPlansConfig): Finding[] {
  const plan = tenant.plan ?? DEFAULT_PLAN;
  if (plan === NOT_KNOWN_YET) {
    return [notKnownYet("plan", `plan is not known until the update runs, so it cannot be checked against ${setting("allowedPlans", config.allowedPlans)} yet.`)];
  }
  if (config.allowedPlans.includes(plan)) return [];
  return [
    violation(
      "plan",
      `plan ${JSON.stringify(plan)}${tenant.plan === undefined ? " (the default, as plan is not set)" : ""} is not one the contract allows ` +
        `(${setting("allowedPlans", config.allowedPlans)}). Set plan to ${config.allowedPlans.join(" or ")}. The API cannot change a plan ` +
        "once the tenant exists: for a tenant that exists, change its plan in CauseFlow, run `pulumi refresh`, then set plan here to match.",
    ),
  ];
}

export const allowedPlans = tenantPolicy<AllowedPlansConfig>({
  name: "causeflow-allowed-plans",
  description:
    "Tenants use only the plans the contract allows: a plan is billed, and the API cannot change it once the tenant exists.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPlans: {
        type: "array",
        items: { type: "string", enum: [...PLANS] },
        minItems: 1,
        uniqueItems: true,
        default: [...PLANS],
        description: `The plans tenants may have, of ${PLANS.join(", ")}. Default: all of them.`,
      },
    },
  },
  check: checkAllowedPlans,
});
