/** `@causeflow/pulumi/plugin`: the `causeflow` resource provider plugin, for the folder the Pulumi CLI runs. */
export { main } from "../cmd/pulumi-resource-causeflow/main";
export { servePlugin, TenantPlugin } from "./server";
