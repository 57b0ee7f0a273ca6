/**
 * Auto-remediation only where it was approved. With `settings.autoRemediation` on, approved
 * remediations run with no person confirming each one, so the platform team names the stacks
 * (by pattern) where that was agreed; everywhere else it is a mandatory violation.
 */
import { AUTO_REMEDIATION_CAUTION } from "@causeflow/pulumi/rules";
import { setting, STACK_PATTERNS, stackMatches } from "./config";
import { tenantPolicy } from "./definePolicy";
import { notKnownYet, NOT_KNOWN_YET, violation, type Finding, type Tenant } from "./tenant";

export { AUTO_REMEDIATION_CAUTION };

export interface AutoRemediationConfig {
  /** Stack name patterns where auto-remediation was approved. */
  allowedStacks: string[];
}

export function checkAutoRemediation(tenant: Tenant, config: AutoRemediationConfig): Finding[] {
  const { stack } = tenant;
  if (stackMatches(stack, config.allowedStacks)) return [];
  const value = tenant.settings === NOT_KNOWN_YET ? NOT_KNOWN_YET : tenant.settings?.autoRemediation;
  const notApproved = `stack "${stack}" is not one where auto-remediation was approved (${setting("allowedStacks", config.allowedStacks)})`;
  if (value === NOT_KNOWN_YET) {
    const property = tenant.settings === NOT_KNOWN_YET ? "settings" : "settings.autoRemediation";
    return [
      notKnownYet(
        property,
        `${property} is not known until the update runs, and ${notApproved}. If autoRemediation turns out true, \`pulumi up\` ` +
          "fails this policy before the tenant is changed; give it a value known at preview, such as false.",
      ),
    ];
  }
  if (value !== true) return [];
  return [
    violation(
      "settings.autoRemediation",
      `settings.autoRemediation is true, but ${notApproved}. The API reference warns: "${AUTO_REMEDIATION_CAUTION}" ` +
        `Set settings.autoRemediation to false, or remove it; or, once auto-remediation is approved for this stack, add "${stack}" ` +
        "(or a pattern matching it) to allowedStacks in this policy's config.",
    ),
  ];
}

export const autoRemediation = tenantPolicy<AutoRemediationConfig>({
  name: "causeflow-auto-remediation",
  description:
    "Auto-remediation only in approved stacks: with settings.autoRemediation on, AI-generated remediation steps run against the " +
    "customer's production infrastructure with no human confirming each one, so only stacks the platform team approved may turn it on.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedStacks: {
        ...STACK_PATTERNS,
        default: [],
        description: "Stacks where auto-remediation was approved, by name; * matches any characters (prod-*). None by default.",
      },
    },
  },
  check: checkAutoRemediation,
});
