/**
 * The fleet file: every tenant a platform team manages, one entry each. Parsing and validation
 * live here, apart from the program, so they can be tested without Pulumi. An entry's tenant
 * fields go through the provider's own check, so the rules and their wording are the ones
 * `causeflow.Tenant` has; this file checks only what the fleet adds, worded the same way.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { checkTenant, describeType as describe, type TenantInputs, type TenantSettings } from "@causeflow/pulumi/rules";

/** The tenant's own fields, checked by the provider as they are. */
const TENANT_FIELDS = ["slug", "name", "ownerEmail", "plan"] as const;
const ENTRY_FIELDS = [...TENANT_FIELDS, "production", "aws"];
/** Each field of an entry's `aws` block, and the tenant setting it is checked as. */
const AWS_SETTINGS = { region: "awsRegion", autoRemediation: "autoRemediation" } as const satisfies Record<string, keyof TenantSettings>;

export interface FleetEntry extends Pick<TenantInputs, (typeof TENANT_FIELDS)[number]> {
  /** Protects the tenant (and its AWS role) from removal by `pulumi up` or `pulumi destroy`. */
  production: boolean;
  /** Links the tenant to its own IAM role, created in the stack's AWS account. */
  aws?: { region: string; autoRemediation?: boolean };
}

type Mapping = Record<string, unknown>;

/**
 * Reads a fleet file (YAML or JSON, which YAML includes; merge keys such as `<<: *defaults`
 * work). Throws one error listing every invalid entry by index and slug, with the field and what
 * it must be, before any resource exists.
 */
export function parseFleet(text: string, fileName: string): FleetEntry[] {
  let document: unknown;
  try {
    document = parse(text, { merge: true });
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
    const label = entryLabel(item, index);
    const checked = checkEntry(item);
    if ("problems" in checked) {
      problems.push(...checked.problems.map((problem) => `${label}: ${problem}`));
      return;
    }
    const { slug } = checked.entry;
    const first = indexBySlug.get(slug);
    if (first !== undefined) {
      problems.push(`${label}: slug is also used by tenants[${first}]; give each tenant its own slug (slugs are unique in CauseFlow)`);
      return;
    }
    indexBySlug.set(slug, index);
    entries.push(checked.entry);
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

/** One entry with the defaults filled in, or each of its problems as "<field> <reason>". */
function checkEntry(item: unknown): { entry: FleetEntry } | { problems: string[] } {
  if (!isMapping(item)) return { problems: [`must be a mapping of fields (${ENTRY_FIELDS.join(", ")}), got ${describe(item)}`] };
  const problems = unknownFields(item, ENTRY_FIELDS, "", "a fleet entry");
  const { production = false, aws } = item;
  if (typeof production !== "boolean") problems.push(`production must be a boolean, got ${describe(production)}`);
  const settings: Mapping = {};
  if (Object.hasOwn(item, "aws")) {
    if (!isMapping(aws)) problems.push(`aws must be an object, got ${describe(aws)}; remove it for a tenant without an AWS role`);
    else {
      problems.push(...unknownFields(aws, Object.keys(AWS_SETTINGS), "aws.", "aws"));
      // null is no value, as the provider's check takes it: `region:` left empty in YAML.
      if (aws.region === undefined || aws.region === null) problems.push("aws.region is required: set aws.region on the tenant");
      for (const [field, setting] of Object.entries(AWS_SETTINGS)) settings[setting] = aws[field];
    }
  }
  const tenant = Object.fromEntries(TENANT_FIELDS.filter((field) => Object.hasOwn(item, field)).map((field) => [field, item[field]]));
  const { inputs, failures } = checkTenant({}, { ...tenant, settings });
  problems.push(...failures.map(({ property, reason }) => `${fleetField(property)} ${reason}`));
  if (problems.length > 0) return { problems };
  const { slug, name, ownerEmail, plan } = inputs as TenantInputs;
  return { entry: { slug, name, ownerEmail, plan, production: production as boolean, ...(aws !== undefined && { aws: aws as FleetEntry["aws"] }) } };
}

/** The fleet's name for a property the provider's check names: `settings.awsRegion` is `aws.region`. */
function fleetField(property: string): string {
  const field = Object.entries(AWS_SETTINGS).find(([, setting]) => property === `settings.${setting}`)?.[0];
  return field === undefined ? property : `aws.${field}`;
}

function unknownFields(mapping: Mapping, known: readonly string[], prefix: string, where: string): string[] {
  return Object.keys(mapping)
    .filter((key) => !known.includes(key))
    .map((key) => `${prefix}${key} is not a field of ${where}; the fields are ${known.join(", ")}`);
}

function entryLabel(item: unknown, index: number): string {
  const slug = isMapping(item) ? item.slug : undefined;
  return typeof slug === "string" ? `tenants[${index}] (slug ${JSON.stringify(slug)})` : `tenants[${index}] (no slug)`;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
