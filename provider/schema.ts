/**
 * The tenant schema: the one place that knows what a tenant looks like, as the program
 * declares it (inputs), as the provider stores it (outputs) and as the API returns it.
 */
import { z } from "zod";

/** The value the Pulumi engine sends, during preview, for an input that is not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const PLANS = ["starter", "pro", "business", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];
export const DEFAULT_PLAN: Plan = "starter";

export const SETTING_KEYS = ["awsRoleArn", "awsExternalId", "awsRegion", "autoRemediation"] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Lowercase letters, digits and hyphens: the reference page's rule, nothing added. */
export const SLUG_PATTERN = /^[a-z0-9-]+$/;
/** An IAM role ARN in any AWS partition, with an optional role path. */
export const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** AWS's own rule for sts:ExternalId. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
/**
 * AWS region names: a geography (`us`, `ap`, `eusc`), an optional partition or country
 * (`gov`, `isob`, `de`), a compass direction and a number, as in us-east-1, us-gov-west-1,
 * ap-southeast-7, mx-central-1 and eusc-de-east-1. New regions keep this shape; junk such as
 * `xx-foo-99` or a typo such as `us-est-1` does not.
 */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]{2,4})?-(central|(north|south)(east|west)?|east|west)-[1-9]\d?$/;

export const settingsSchema = z.strictObject({
  awsRoleArn: z
    .string()
    .regex(ROLE_ARN_PATTERN, {
      error: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/CauseFlowRole",
    })
    .optional(),
  awsExternalId: z
    .string()
    .regex(EXTERNAL_ID_PATTERN, {
      error: "must be 2 to 1224 characters of letters, digits and +=,.@:/-_ (AWS's rule for external IDs)",
    })
    .optional(),
  awsRegion: z
    .string()
    .regex(REGION_PATTERN, { error: "must be an AWS region name such as us-east-1" })
    .optional(),
  autoRemediation: z.boolean().optional(),
});
export type TenantSettings = z.infer<typeof settingsSchema>;

/** What a program declares, after `check` has normalized it. */
export const tenantInputsSchema = z.strictObject({
  name: z
    .string()
    .refine((name) => !/\p{Cc}/u.test(name), { error: "must not contain control characters such as a newline, a tab or NUL" })
    .refine((name) => /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u.test(name), {
      error: "must contain a visible character: it is empty, blank, or only invisible characters such as zero-width spaces",
    }),
  slug: z.string().regex(SLUG_PATTERN, {
    error: 'must contain only lowercase letters, digits and hyphens, for example "acme-corp"',
  }),
  ownerEmail: z.email({ error: "must be a valid email address, for example owner@acme.com" }),
  plan: z.enum(PLANS, { error: `must be one of ${PLANS.join(", ")}` }).default(DEFAULT_PLAN),
  settings: settingsSchema.optional(),
  adoptExisting: z.boolean().optional(),
});
export type TenantInputs = z.output<typeof tenantInputsSchema>;

/** What the provider stores as the resource's outputs. `settings` holds only the keys the program manages. */
export interface TenantOutputs extends Omit<TenantInputs, "plan" | "adoptExisting" | "ownerEmail"> {
  tenantId: string;
  /** The program's: the API never returns it, so a tenant imported or looked up has none. */
  ownerEmail?: string;
  /** As the API reports it; the API has used labels beyond the documented four. */
  plan: string;
  status: string;
  createdAt: string;
}

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

/** The API's error body, read defensively: any field may be missing or oddly cased. */
export const apiErrorBodySchema = z.object({
  error: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  details: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
