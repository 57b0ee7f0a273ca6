/**
 * What runs inside the provider process. The `__provider` text in state loads `tenantProvider`
 * from here, as every earlier version's did, so this module stays light: a preview (check and
 * diff) loads neither the HTTP client (`@causeflow/pulumi/client`) nor the zod schemas.
 */
import { TenantProvider } from "./tenantProvider";

export { TenantProvider } from "./tenantProvider";
export { Tenants, PartialFailure } from "./tenants";
export { checkTenant, type CheckFailure } from "./plan";
export * from "./errors";
export * from "./rules";
export type { ApiTenant, TenantInputs, TenantOutputs, TenantSettings } from "./schema";
export { SETTINGS as CONFIG_SETTINGS, DEFAULT_API_URL, PACKAGE_NAME } from "./config";

/** One provider per process, shared by every `__provider` text (of any version) that loads this package. */
export const tenantProvider = new TenantProvider();
