/** Tenants for the checks' own tests, read from props by the pack's own `tenantOf`. */
import type { Plan } from "@causeflow/pulumi";
import { DYNAMIC_TENANT_TYPE } from "@causeflow/pulumi/rules";
import { tenantOf, type Tenant } from "../../policy/tenant";

export const ACME = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro" as Plan };
export const ROLE = "arn:aws:iam::123456789012:role/CauseFlowRole";
export const FULL_SETTINGS = { awsRoleArn: ROLE, awsExternalId: "causeflow-ext-id-acme", awsRegion: "us-east-1" };

export interface TenantOptions {
  stack?: string;
  protect?: boolean;
}

/** The tenant a resource with these props is, in stack `dev` unless said otherwise. */
export function tenant(props: Record<string, unknown> = ACME, options: TenantOptions = {}): Tenant {
  const urn = `urn:pulumi:${options.stack ?? "dev"}::causeflow::${DYNAMIC_TENANT_TYPE}::acme`;
  return tenantOf({ type: DYNAMIC_TENANT_TYPE, urn, name: "acme", props, opts: { protect: options.protect ?? false } })!;
}
