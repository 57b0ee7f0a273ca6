/**
 * causeflow.Tenant: a CauseFlow tenant (an isolated organization) managed by Pulumi.
 */
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_TENANT_TYPE, type Plan } from "../../provider/core/tenantRules";
import type { DeclaredTenantInputs } from "../../provider/core/tenantSchema";

export type { Plan };

/** Settings that link the tenant to the customer's AWS account. */
export interface TenantSettingsArgs {
  /** IAM role CauseFlow assumes in the customer's account, e.g. `arn:aws:iam::123456789012:role/CauseFlowRole`. */
  awsRoleArn?: pulumi.Input<string>;
  /** External ID the role's trust policy checks. A secret, as CauseFlow's docs ask: always stored and shown as one. */
  awsExternalId?: pulumi.Input<string>;
  /** Primary AWS region, e.g. `us-east-1`. */
  awsRegion?: pulumi.Input<string>;
  /** When true, approved remediations run without a human confirming each one. @default false (the API's) */
  autoRemediation?: pulumi.Input<boolean>;
}

/** The inputs of a Tenant. */
export interface TenantArgs {
  /** Display name, shown in the dashboard and notifications. Changing it updates the tenant in place. */
  name: pulumi.Input<string>;
  /** Globally unique URL-safe identifier: lowercase letters, digits, hyphens. Changing it replaces the tenant. */
  slug: pulumi.Input<string>;
  /** The owner, invited to activate the account. Cannot change once the tenant exists. */
  ownerEmail: pulumi.Input<string>;
  /** Subscription plan. Cannot change through the API once the tenant exists. @default "starter" */
  plan?: pulumi.Input<Plan>;
  /** AWS integration. Each setting changes in place; a setting removed from the program is cleared. */
  settings?: pulumi.Input<TenantSettingsArgs>;
  /**
   * Bring a tenant made by hand under management: when the slug is taken, create finds the
   * tenant holding it, refuses if CauseFlow contradicts the program (another plan), and otherwise
   * records it and updates its name and settings to the program's. `pulumi import` cannot do
   * this for dynamic resources (pulumi/pulumi#16175). Never causes a diff by itself. @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** The keys of `T` that a value must have. */
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
/** `A` and `B` take the same keys, required alike, with the same values once Pulumi's inputs are resolved. */
type SameShape<A, B> = [keyof A, RequiredKeys<A>, { [K in keyof A]: pulumi.Unwrap<A[K]> }] extends [keyof B, RequiredKeys<B>, { [K in keyof B]: B[K] }]
  ? [keyof B, RequiredKeys<B>, { [K in keyof B]: B[K] }] extends [keyof A, RequiredKeys<A>, { [K in keyof A]: pulumi.Unwrap<A[K]> }]
    ? true
    : false
  : false;
// The inputs are listed once, in the provider's schema: the build fails here when these args drift from it.
true satisfies SameShape<TenantArgs, DeclaredTenantInputs>;
true satisfies SameShape<TenantSettingsArgs, NonNullable<DeclaredTenantInputs["settings"]>>;

/** The settings as CauseFlow reports them, limited to the keys the program sets. */
export interface TenantSettings {
  awsRoleArn?: string;
  awsExternalId?: string;
  awsRegion?: string;
  autoRemediation?: boolean;
}

/**
 * What state stores as `__provider`: module text whose `handler()` returns the provider, which is
 * all the dynamic-provider host asks of it (it caches the provider by the text). It holds no code
 * of ours and no credential or path: each call loads the installed `@causeflow/pulumi`, so refresh
 * and destroy run the current version whichever version created the tenant (pulumi/pulumi#6238,
 * #16826), and every version since 0.1.0 exports `tenantProvider` from the same entry, so a stack
 * written by this one still works after a rollback. Written by hand rather than by Pulumi's
 * closure serializer, which takes some 2 KB of wrappers for the same and runs at every program run.
 */
export const PROVIDER_TEXT = 'exports.handler=()=>require("@causeflow/pulumi/provider").tenantProvider;';

/**
 * The settings with `awsExternalId` marked secret, whether or not the program did: CauseFlow's
 * docs ask that it not be shared, so it must never show in state or a preview in clear text.
 */
function withSecretExternalId(settings: TenantArgs["settings"]): TenantArgs["settings"] {
  const mark = (value: TenantSettingsArgs): TenantSettingsArgs =>
    value.awsExternalId === undefined ? value : { ...value, awsExternalId: pulumi.secret(value.awsExternalId) };
  if (settings === undefined || settings === null) return settings;
  // Settings given whole as an Output or a Promise are marked once their value is known.
  if (pulumi.Output.isInstance(settings) || settings instanceof Promise) return pulumi.output(settings).apply((value) => value && mark(value as TenantSettingsArgs));
  return mark(settings as TenantSettingsArgs);
}

/**
 * A CauseFlow tenant. Creating it creates the tenant through the CauseFlow API; deleting it
 * only removes it from the stack, because the API cannot delete tenants: protect production
 * tenants with `{ protect: true }`.
 */
export class Tenant extends pulumi.CustomResource {
  /** CauseFlow's identifier of the tenant. */
  declare readonly tenantId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly ownerEmail: pulumi.Output<string>;
  /** As CauseFlow reports it; may be a label beyond the four documented plans. */
  declare readonly plan: pulumi.Output<string>;
  /** `active` when created; later `active` or `suspended`. */
  declare readonly status: pulumi.Output<string>;
  /** ISO 8601 time of creation. */
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly settings: pulumi.Output<TenantSettings | undefined>;

  constructor(name: string, args: TenantArgs, opts?: pulumi.CustomResourceOptions) {
    for (const key of ["name", "slug", "ownerEmail"] as const) {
      if (args?.[key] === undefined) throw new Error(`causeflow.Tenant ${JSON.stringify(name)}: missing required input '${key}'`);
    }
    // Every output is named, even when unset, so that a preview shows it as unknown, not absent.
    const props = {
      plan: undefined,
      ...args,
      settings: withSecretExternalId(args.settings),
      tenantId: undefined,
      status: undefined,
      createdAt: undefined,
      __provider: PROVIDER_TEXT,
    };
    super(DYNAMIC_TENANT_TYPE, name, props, opts);
  }
}
