/**
 * What runs inside the provider process. The `__provider` text in state loads `tenantProvider`
 * from here, as every earlier version's did, so this module stays light: a preview (check and
 * diff) loads neither the HTTP client (`@causeflow/pulumi/client`) nor the zod schemas.
 */
import { TenantProvider } from "./tenantProvider";

export { TenantProvider } from "./tenantProvider";
export { checkTenant, describeType, type CheckFailure } from "./plan";
export * from "./errors";
export * from "./rules";
export type { ApiTenant, TenantInputs, TenantOutputs, TenantSettings } from "./schema";
export { SETTINGS as CONFIG_SETTINGS, DEFAULT_API_URL, PACKAGE_NAME } from "./config";

/** One provider per process, shared by every `__provider` text (of any version) that loads this package. */
export const tenantProvider = new TenantProvider();

/*
 * Exported here up to 0.1.0, and loaded only on first use now, so that a preview never loads
 * them: the HTTP client (import it from `@causeflow/pulumi/client`) and the zod schemas.
 */
import type * as client from "./client";
import type * as schema from "./schema";
export type { ClientOptions, CreateTenantBody, UpdateTenantBody, TenantPage } from "./client";
/** @deprecated Import it from `@causeflow/pulumi/client`. */
export declare const CauseFlowClient: typeof client.CauseFlowClient;
/** @deprecated `checkTenant` validates inputs; the rules are this module's constants. */
export declare const tenantInputsSchema: typeof schema.tenantInputsSchema;
/** @deprecated `checkTenant` validates inputs; the rules are this module's constants. */
export declare const settingsSchema: typeof schema.settingsSchema;
/** @deprecated */
export declare const apiTenantSchema: typeof schema.apiTenantSchema;
/** @deprecated */
export declare const apiTenantPageSchema: typeof schema.apiTenantPageSchema;
const LOADED_ON_USE = {
  CauseFlowClient: () => (require("./client") as typeof client).CauseFlowClient,
  tenantInputsSchema: () => (require("./schema") as typeof schema).tenantInputsSchema,
  settingsSchema: () => (require("./schema") as typeof schema).settingsSchema,
  apiTenantSchema: () => (require("./schema") as typeof schema).apiTenantSchema,
  apiTenantPageSchema: () => (require("./schema") as typeof schema).apiTenantPageSchema,
};
for (const [name, load] of Object.entries(LOADED_ON_USE)) Object.defineProperty(exports, name, { enumerable: true, get: load });
