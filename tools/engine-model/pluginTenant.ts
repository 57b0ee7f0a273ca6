/**
 * The plugin's Tenant as a TypeScript program registers it: what `pulumi package add` generates
 * for the package schema, reduced to its registration, so the engine model can run programs that
 * use the plugin. Every output is named, so that a preview shows it as unknown.
 */
import * as pulumi from "@pulumi/pulumi";
import { PLUGIN_TENANT_TYPE } from "../../provider/core/tenantRules";
import type { TenantArgs } from "../../sdk/dynamic";

export class PluginTenant extends pulumi.CustomResource {
  constructor(name: string, args: TenantArgs, opts?: pulumi.CustomResourceOptions) {
    super(PLUGIN_TENANT_TYPE, name, { plan: undefined, settings: undefined, adoptExisting: undefined, ...args, tenantId: undefined, status: undefined, createdAt: undefined }, opts);
  }
}
