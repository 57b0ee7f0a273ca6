/** The `causeflow` resource provider plugin: what `bin/pulumi-resource-causeflow` and `plugin/PulumiPlugin.yaml` start. */
export { main } from "./main";
export { servePlugin, TenantPlugin } from "./server";
export { GET_TENANT, TENANT_TYPE } from "../rules";
