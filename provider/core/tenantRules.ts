/**
 * The tenant's rules as plain values: the plans, the settings, the patterns and the name rule.
 * Nothing here loads a validation library, so that a preview (check and diff) never loads zod;
 * the zod schemas in ./schema are built from these same values, so both agree by construction.
 */
import type { TenantInputs } from "./tenantSchema";

/** A resource's properties as the engine hands them to a provider, before any check. */
export type Props = Record<string, unknown>;

/** The plugin's tenant resource, `causeflow:index:Tenant`, a token of the package's one module. */
export const PLUGIN_TENANT_TYPE = "causeflow:index:Tenant";
/** The plugin's function that looks a tenant up, by one of GET_TENANT_LOOKUPS. */
export const GET_TENANT = "causeflow:index:getTenant";
export const GET_TENANT_LOOKUPS = ["tenantId", "slug"] as const;
/** `causeflow.Tenant`'s: the engine routes `pulumi-nodejs:dynamic/<module>:<type>` to the dynamic-provider host. */
export const DYNAMIC_TENANT_TYPE = "pulumi-nodejs:dynamic/causeflow:Tenant";

/** The value the Pulumi engine sends, during preview, for an input that is not known yet. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const PLANS = ["starter", "pro", "business", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];
export const DEFAULT_PLAN: Plan = "starter";

export const SETTING_KEYS = ["awsRoleArn", "awsExternalId", "awsRegion", "autoRemediation"] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/**
 * Settings that are secret whatever the program marked: CauseFlow's docs ask that the external ID
 * not be shared, so it never shows in state, a preview or the schema's SDKs in clear text.
 */
export const SECRET_SETTINGS = ["awsExternalId"] as const satisfies readonly SettingKey[];

/** Inputs whose change replaces the tenant (the API cannot change them, and a new slug is a new tenant). */
export const REPLACING_INPUTS = ["slug"] as const satisfies readonly (keyof TenantInputs)[];

/** Lowercase letters, digits and hyphens: the reference page's rule, nothing added. */
export const SLUG_PATTERN = /^[a-z0-9-]+$/;
/** An IAM role ARN in any AWS partition, with an optional role path. */
export const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** AWS's own rule for sts:ExternalId. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
/**
 * AWS region names: a geography (`us`, `ap`, `eusc`), an optional partition or country
 * (`gov`, `isob`, `de`), a compass direction and a number, as in us-east-1, us-gov-west-1,
 * ap-southeast-7, mx-central-1 and eusc-de-east-1. New regions keep this shape; junk such as
 * `xx-foo-99` or a typo such as `us-est-1` does not.
 */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]{2,4})?-(central|(north|south)(east|west)?|east|west)-[1-9]\d?$/;

/** The caution of CauseFlow's API reference (PATCH /v1/tenants/{tenantId}, `settings`), word for word. */
export const AUTO_REMEDIATION_CAUTION =
  "When autoRemediation is enabled, approved remediations execute automatically without requiring manual approval each time. " +
  "Use with caution — this means AI-generated remediation steps will run against your production infrastructure without an " +
  "additional human confirmation step.";

/** zod's own rule for an email address (`z.email()`'s default), held here so that check can apply it without zod. */
export const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

/** A display name must not hold control characters: a newline or NUL breaks notifications. */
export function hasNoControlCharacter(name: string): boolean {
  return !/\p{Cc}/u.test(name);
}

/** A display name must show something: not only spaces or invisible characters (zero-width spaces, fillers). */
export function hasVisibleCharacter(name: string): boolean {
  return /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u.test(name);
}
