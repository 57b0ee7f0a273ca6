/**
 * The tenant's AWS integration: the role CauseFlow assumes lies in an account the team owns,
 * and the role, the external ID its trust policy requires and the region come together.
 */
import { ROLE_ARN_PATTERN, SETTING_KEYS, type SettingKey } from "@causeflow/pulumi/rules";
import { setting } from "./config";
import { tenantPolicy } from "./definePolicy";
import { notKnownYet, NOT_KNOWN_YET, violation, type Finding, type Tenant } from "./tenant";

/** The settings that link a tenant to an AWS account: every setting but autoRemediation. */
export const AWS_SETTINGS = SETTING_KEYS.filter((key): key is Exclude<SettingKey, "autoRemediation"> => key !== "autoRemediation");

export interface OwnedAccountsConfig {
  /** 12-digit AWS account ids; empty: not configured, any account. */
  allowedAccounts: string[];
}

export function checkOwnedAccounts(tenant: Tenant, config: OwnedAccountsConfig): Finding[] {
  const { allowedAccounts } = config;
  if (allowedAccounts.length === 0) return [];
  const allowed = setting("allowedAccounts", allowedAccounts);
  const arn = tenant.settings === NOT_KNOWN_YET ? NOT_KNOWN_YET : tenant.settings?.awsRoleArn;
  if (arn === undefined) return [];
  if (arn === NOT_KNOWN_YET) {
    const property = tenant.settings === NOT_KNOWN_YET ? "settings" : "settings.awsRoleArn";
    return [
      notKnownYet(
        property,
        `${property} is not known until the update runs (a role this stack creates, say), so the role's account cannot be checked ` +
          `against ${allowed} yet; \`pulumi up\` checks it before the tenant is created or changed.`,
      ),
    ];
  }
  if (typeof arn !== "string" || !ROLE_ARN_PATTERN.test(arn)) {
    return [violation("settings.awsRoleArn", `settings.awsRoleArn is not an IAM role ARN, so it names no account the team owns (${allowed}).`)];
  }
  // arn:<partition>:iam::<account>:role/<name>
  const account = arn.split(":")[4];
  if (allowedAccounts.includes(account)) return [];
  return [
    violation(
      "settings.awsRoleArn",
      `settings.awsRoleArn ${JSON.stringify(arn)} is a role in AWS account ${account}, which is not one the team owns (${allowed}): ` +
        "CauseFlow would investigate, and remediate, in that account. Use a role in one of the team's accounts, or add the account " +
        "to allowedAccounts once the team owns it.",
    ),
  ];
}

export const ownedAccounts = tenantPolicy<OwnedAccountsConfig>({
  name: "causeflow-aws-owned-accounts",
  description:
    "AWS roles only in accounts the team owns: CauseFlow assumes settings.awsRoleArn to investigate and remediate, so a role in " +
    "another account hands CauseFlow, and its remediations, an account the team does not control.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedAccounts: {
        type: "array",
        items: { type: "string", pattern: "^[0-9]{12}$" },
        uniqueItems: true,
        default: [],
        description: "The 12-digit ids of the AWS accounts the team owns. Empty (the default): not configured, so any account passes.",
      },
    },
  },
  check: checkOwnedAccounts,
});

export function checkCompleteSettings(tenant: Tenant): Finding[] {
  const { settings } = tenant;
  const together = `required together: ${AWS_SETTINGS.join(", ")}`;
  if (settings === NOT_KNOWN_YET) {
    return [notKnownYet("settings", `settings is not known until the update runs, so whether it sets ${AWS_SETTINGS.join(", ")} together cannot be checked yet.`)];
  }
  // A setting not known yet is set: it will have a value.
  const given = AWS_SETTINGS.filter((key) => settings?.[key] !== undefined);
  const missing = AWS_SETTINGS.filter((key) => !given.includes(key));
  if (given.length === 0 || missing.length === 0) return [];
  const names = (keys: readonly string[]) => keys.map((key) => `settings.${key}`).join(" and ");
  return [
    violation(
      names(missing),
      `settings sets ${given.join(" and ")} but not ${missing.join(" and ")} (${together}): CauseFlow reaches the customer's AWS ` +
        `account only with the role, the external ID its trust policy requires, and the region. Set ${names(missing)}, or remove ` +
        `${names(given)}.`,
    ),
  ];
}

export const completeSettings = tenantPolicy<Record<string, never>>({
  name: "causeflow-aws-settings-complete",
  description:
    "AWS settings come together: CauseFlow reaches a customer's AWS account only with the role ARN, the external ID its trust " +
    "policy requires, and the region, so a tenant with some of them has an integration that fails when CauseFlow first uses it.",
  enforcementLevel: "mandatory",
  configSchema: { properties: {} },
  check: checkCompleteSettings,
});
