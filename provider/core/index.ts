/**
 * `@causeflow/pulumi/rules`: the tenant's rules for tools beside the provider, such as the policy
 * pack or a fleet's own checks. Light on purpose: loading it loads neither the HTTP client nor zod
 * (zod only when `checkTenant` has failures to word).
 */
export * from "./tenantRules";
export { checkTenant, describeType, type CheckFailure } from "./decisions";
export type { ApiTenant, TenantInputs, TenantOutputs, TenantSettings } from "./tenantSchema";
export { SETTINGS as CONFIG_SETTINGS, DEFAULT_API_URL, PACKAGE_NAME } from "./config";
