/**
 * The fleet file: every tenant a platform team manages, one entry each. Parsing and validation
 * live here, apart from the program, so they can be tested without Pulumi.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { z } from "zod";
import { settingsSchema, tenantInputsSchema } from "@causeflow/pulumi/provider";

/** One entry: the tenant's own fields, checked by the provider's rules, plus what the fleet adds. */
export const fleetEntrySchema = tenantInputsSchema.pick({ slug: true, name: true, ownerEmail: true, plan: true }).extend({
  /** Protects the tenant (and its AWS role) from removal by `pulumi up` or `pulumi destroy`. */
  production: z.boolean({ error: "must be true or false" }).default(false),
  /** Links the tenant to its own IAM role, created in the stack's AWS account. */
  aws: z
    .strictObject({
      region: settingsSchema.shape.awsRegion.unwrap(),
      autoRemediation: z.boolean({ error: "must be true or false" }).optional(),
    })
    .optional(),
});
export type FleetEntry = z.output<typeof fleetEntrySchema>;

/**
 * Reads a fleet file (YAML or JSON, which YAML includes). Throws one error listing every invalid
 * entry by index and slug, with the field and what it must be, before any resource exists.
 */
export function parseFleet(text: string, fileName: string): FleetEntry[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${fileName} is not valid YAML: ${(error as Error).message}`);
  }
  const raw = (document as { tenants?: unknown } | null)?.tenants;
  if (!Array.isArray(raw)) {
    throw new Error(`${fileName} must hold a "tenants" list, one entry per tenant (an empty fleet is "tenants: []")`);
  }
  const problems: string[] = [];
  const entries: FleetEntry[] = [];
  const indexBySlug = new Map<string, number>();
  raw.forEach((item: unknown, index) => {
    const result = fleetEntrySchema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${entryLabel(item, index)}: ${describeIssue(issue, item)}`);
      return;
    }
    const { slug } = result.data;
    const first = indexBySlug.get(slug);
    if (first !== undefined) {
      problems.push(`${entryLabel(item, index)}: slug is also used by tenants[${first}]; give each tenant its own slug (slugs are unique in CauseFlow)`);
      return;
    }
    indexBySlug.set(slug, index);
    entries.push(result.data);
  });
  if (problems.length > 0) {
    throw new Error(`${fileName}: fix these entries; nothing was created or changed:\n  ${problems.join("\n  ")}`);
  }
  return entries;
}

/** Production tenants and their roles are protected: CauseFlow cannot delete a tenant, and its role must not vanish under it. */
export function fleetResourceOptions(entry: FleetEntry): pulumi.ResourceOptions {
  return { protect: entry.production };
}

function entryLabel(item: unknown, index: number): string {
  const slug = (item as { slug?: unknown } | null)?.slug;
  return typeof slug === "string" ? `tenants[${index}] (slug ${JSON.stringify(slug)})` : `tenants[${index}] (no slug)`;
}

function describeIssue(issue: z.core.$ZodIssue, item: unknown): string {
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    return issue.keys.map((key) => `unknown field "${where}${key}"; check its spelling against the fields in the README`).join("; ");
  }
  const field = issue.path.join(".");
  if (!field) return "must be a mapping of fields (slug, name, ownerEmail, ...)";
  const value = issue.path.reduce<unknown>((parent, key) => (parent as Record<PropertyKey, unknown> | undefined)?.[key], item);
  return value === undefined ? `${field} is required` : `${field} ${issue.message}`;
}
