/** `@causeflow/pulumi/client`: the tenant API's client and its typed errors. */
export * from "./client";
export * from "./errors";
