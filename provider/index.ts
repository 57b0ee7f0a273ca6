/** What runs inside the provider process. The `__provider` shim in state loads `tenantProvider` from here. */
import { TenantProvider } from "./tenantProvider";

export { TenantProvider } from "./tenantProvider";
export { Tenants, PartialFailure } from "./tenants";
export { CauseFlowClient } from "./client";
export { checkTenant, type CheckFailure } from "./plan";
export type { ClientOptions, CreateTenantBody, UpdateTenantBody, TenantPage } from "./client";
export * from "./errors";
export * from "./schema";
export { SETTINGS as CONFIG_SETTINGS, DEFAULT_API_URL, PACKAGE_NAME } from "./config";

/** One provider per process, shared by every shim version that loads this package. */
export const tenantProvider = new TenantProvider();
