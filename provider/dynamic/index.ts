/**
 * `@causeflow/pulumi/provider`, what every `causeflow.Tenant`'s `__provider` text loads, of any
 * version (`require("@causeflow/pulumi/provider").tenantProvider`). That is this module's whole
 * contract, so it exports nothing else: a preview (check and diff) loads neither the HTTP client
 * nor the zod schemas. The rules are `@causeflow/pulumi/rules`, the client `@causeflow/pulumi/client`.
 */
import { TenantProvider } from "./tenantProvider";

export { TenantProvider };

/** One provider per process, shared by every `__provider` text that loads this package. */
export const tenantProvider = new TenantProvider();
