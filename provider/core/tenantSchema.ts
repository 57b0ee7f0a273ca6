/**
 * The tenant schema: the one place that knows what a tenant looks like, as the program
 * declares it (inputs), as the provider stores it (outputs) and as the API returns it.
 */
import { z } from "zod";
import {
  DEFAULT_PLAN,
  EMAIL_PATTERN,
  EXTERNAL_ID_PATTERN,
  hasNoControlCharacter,
  hasVisibleCharacter,
  PLANS,
  REGION_PATTERN,
  ROLE_ARN_PATTERN,
  SLUG_PATTERN,
} from "./tenantRules";


/*
 * The descriptions (`.meta`) are the API documentation: the plugin's package schema reads them,
 * and the SDKs generated from it show them. A schema's `id` names its type in that schema.
 */
export const settingsSchema = z
  .strictObject({
    awsRoleArn: z
      .string()
      .regex(ROLE_ARN_PATTERN, {
        error: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/CauseFlowRole",
      })
      .optional()
      .meta({
        description:
          "ARN of the IAM role CauseFlow assumes in the customer's AWS account, such as `arn:aws:iam::123456789012:role/CauseFlowRole`: " +
          "`arn:aws` (or another AWS partition), `:iam::`, the 12-digit account ID, `:role/` and the role's name, which may include a path.",
      }),
    awsExternalId: z
      .string()
      .regex(EXTERNAL_ID_PATTERN, {
        error: "must be 2 to 1224 characters of letters, digits and +=,.@:/-_ (AWS's rule for external IDs)",
      })
      .optional()
      .meta({
        description:
          "External ID that the role's trust policy requires of CauseFlow (`sts:ExternalId`): 2 to 1224 characters of letters, digits " +
          "and `+=,.@:/-_`, AWS's rule. Always a secret, whether or not the program marks it: CauseFlow's docs ask that it not be shared.",
      }),
    awsRegion: z
      .string()
      .regex(REGION_PATTERN, { error: "must be an AWS region name such as us-east-1" })
      .optional()
      .meta({
        description:
          "The customer's primary AWS region, such as `us-east-1`, `us-gov-west-1` or `ap-southeast-7`: a name of the shape AWS gives " +
          "its regions (a geography, an optional partition or country, a compass direction and a number).",
      }),
    autoRemediation: z
      .boolean()
      .optional()
      .meta({
        description:
          "When true, approved remediations run automatically, without a person confirming each one: AI-generated remediation steps then " +
          "run against the customer's production infrastructure with no further human confirmation. CauseFlow's default is false.",
      }),
  })
  .meta({
    id: "TenantSettings",
    description:
      "A tenant's AWS integration: the IAM role CauseFlow assumes in the customer's account, the external ID that role requires, " +
      "the customer's primary region, and whether approved remediations run without confirmation.",
  });
export type TenantSettings = z.infer<typeof settingsSchema>;

/** What a program declares, after `check` has normalized it. */
export const tenantInputsSchema = z.strictObject({
  name: z
    .string()
    .refine(hasNoControlCharacter, { error: "must not contain control characters such as a newline, a tab or NUL" })
    .refine(hasVisibleCharacter, {
      error: "must contain a visible character: it is empty, blank, or only invisible characters such as zero-width spaces",
    })
    .meta({
      description:
        "Display name of the tenant, shown in the CauseFlow dashboard and in notifications. It must contain a visible character, " +
        "and no control characters such as a newline or a tab. Changing it updates the tenant in place.",
    }),
  slug: z
    .string()
    .regex(SLUG_PATTERN, {
      error: 'must contain only lowercase letters, digits and hyphens, for example "acme-corp"',
    })
    .meta({
      description:
        "Globally unique, URL-safe identifier of the tenant: lowercase letters, digits and hyphens only, such as `acme-corp`. " +
        "Changing it replaces the tenant: a new tenant is created, and the old one stays in CauseFlow, no longer managed by the stack.",
    }),
  ownerEmail: z.email({ pattern: EMAIL_PATTERN, error: "must be a valid email address, for example owner@acme.com" }).meta({
    description:
      "Email address of the tenant's owner, such as `owner@acme.com`, who is invited to activate the account. It cannot change once " +
      "the tenant exists: the API cannot change it, and a new slug makes a new tenant for another owner.",
  }),
  plan: z
    .enum(PLANS, { error: `must be one of ${PLANS.join(", ")}` })
    .meta({ id: "Plan", description: "A CauseFlow subscription plan that a program can declare." })
    .default(DEFAULT_PLAN)
    .meta({
      description:
        `Subscription plan, one of ${PLANS.map((plan) => `\`${plan}\``).join(", ")}; \`${DEFAULT_PLAN}\` when not given. It cannot change once the ` +
        "tenant exists, because the API cannot change a plan: change it in CauseFlow, run `pulumi refresh`, then set it here to match.",
    }),
  settings: settingsSchema.optional().meta({
    description: "The tenant's AWS integration. Each setting changes in place; a setting removed from the program is cleared in CauseFlow.",
  }),
  adoptExisting: z
    .boolean()
    .optional()
    .meta({
      description:
        "Adopt a tenant made outside this stack: when the slug is already taken, create finds the tenant that holds it, refuses if " +
        "CauseFlow contradicts the program (another plan), and otherwise records it and updates its name and settings to the program's. " +
        "False when not given. Changing it never changes the tenant by itself.",
    }),
});
export type TenantInputs = z.output<typeof tenantInputsSchema>;
/** What a program may declare, before `check` fills in defaults (`plan`). */
export type DeclaredTenantInputs = z.input<typeof tenantInputsSchema>;

/**
 * What the provider stores as the resource's outputs. `settings` holds only the keys the program
 * manages. What each field means is in TENANT_OUTPUT_DESCRIPTIONS, or else tenantInputsSchema.
 */
export interface TenantOutputs extends Omit<TenantInputs, "plan" | "adoptExisting" | "ownerEmail"> {
  tenantId: string;
  ownerEmail?: string;
  plan: string;
  status: string;
  createdAt: string;
}

/** TenantOutputs' keys, in the order a tenant is described; the test checks them against the interface. */
export const TENANT_OUTPUT_KEYS = ["tenantId", "name", "slug", "ownerEmail", "plan", "status", "createdAt", "settings"] as const satisfies readonly (keyof TenantOutputs)[];

/**
 * The outputs that no input describes, or that mean something else as an output: the API
 * documentation of the resource's outputs and of `getTenant`'s result.
 */
export const TENANT_OUTPUT_DESCRIPTIONS = {
  tenantId: "CauseFlow's identifier of the tenant, given when the tenant is created: the ID to import it or look it up by.",
  ownerEmail: "The owner's email address as the program gave it. The API never returns it, so a tenant that was imported has none.",
  plan:
    `The plan as CauseFlow reports it: one of ${PLANS.join(", ")}, or a label beyond those four, such as \`community\`, ` +
    "which CauseFlow has been seen to report.",
  status: "The tenant's status as CauseFlow reports it: `active` when created; later `active` or `suspended`.",
  createdAt: "When CauseFlow created the tenant, as an ISO 8601 time such as `2025-01-31T12:00:00Z`.",
  settings: "The AWS settings as CauseFlow reports them. A Tenant's outputs hold only the settings its program sets.",
} as const satisfies Partial<Record<keyof TenantOutputs, string>>;

/**
 * A tenant as the API returns it. Tolerant by design: unknown fields are ignored and
 * labels such as `plan` and `status` are read as any string, so a new label on the
 * service's side never breaks a deployment.
 */
export const apiTenantSchema = z.object({
  tenantId: z.string().min(1),
  name: z.string(),
  slug: z.string(),
  plan: z.string(),
  status: z.string(),
  createdAt: z.string(),
  settings: z
    .object({
      awsRoleArn: z.string().nullish(),
      awsExternalId: z.string().nullish(),
      awsRegion: z.string().nullish(),
      autoRemediation: z.boolean().nullish(),
    })
    .nullish(),
});
export type ApiTenant = z.infer<typeof apiTenantSchema>;

/** A list page: the tenants page documents `tenants`, other list pages `items`; one of them must be there. */
export const apiTenantPageSchema = z
  .object({
    tenants: z.array(z.object({ tenantId: z.string(), name: z.string() }).passthrough()).optional(),
    items: z.array(z.object({ tenantId: z.string(), name: z.string() }).passthrough()).optional(),
    cursor: z.string().nullish(),
  })
  .refine((page) => page.tenants !== undefined || page.items !== undefined, { error: "has neither a tenants nor an items list" })
  .transform((page) => ({ tenants: page.tenants ?? page.items ?? [], cursor: page.cursor ?? null }));
