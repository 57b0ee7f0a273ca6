/** The `causeflow` resource provider plugin: what `bin/pulumi-resource-causeflow` and `plugin/PulumiPlugin.yaml` start. */
export { main } from "./main";
export { packageSchema, TENANT_TYPE, GET_TENANT } from "./schema";
export { servePlugin, TenantPlugin } from "./server";
