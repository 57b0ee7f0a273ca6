/**
 * Slugs: each follows the organization's convention, and each tenant of a stack has its own. A
 * slug is a tenant's permanent, globally unique name in CauseFlow: changing it replaces the
 * tenant, and the old one stays in CauseFlow, so a slug must be right before the first `up`.
 */
import { setting } from "./config";
import { stackPolicy, tenantPolicy } from "./definePolicy";
import { notKnownYet, NOT_KNOWN_YET, violation, type Finding, type Tenant } from "./tenant";

export interface SlugConventionConfig {
  /** A JavaScript regular expression every slug must match (unanchored, as in JSON Schema). */
  pattern: string;
}

/** Lowercase words of letters and digits joined by single hyphens, starting with a letter: `acme-corp`, `acme-eu-2`. */
export const DEFAULT_SLUG_CONVENTION = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

export function checkSlugConvention(tenant: Tenant, config: SlugConventionConfig): Finding[] {
  let convention: RegExp;
  try {
    convention = new RegExp(config.pattern, "u");
  } catch (error) {
    throw new Error(`policy ${slugConvention.name}: ${setting("pattern", config.pattern)} is not a valid JavaScript regular expression: ${(error as Error).message}`);
  }
  const { slug } = tenant;
  if (slug === NOT_KNOWN_YET) {
    return [notKnownYet("slug", `slug is not known until the update runs, so it cannot be checked against ${setting("pattern", config.pattern)} yet.`)];
  }
  if (slug === undefined || convention.test(slug)) return [];
  return [
    violation(
      "slug",
      `slug ${JSON.stringify(slug)} does not follow the organization's convention (${setting("pattern", config.pattern)}). Choose a slug ` +
        "that matches before the first `pulumi up`: changing a slug later replaces the tenant, and the old one stays in CauseFlow, unmanaged.",
    ),
  ];
}

export const slugConvention = tenantPolicy<SlugConventionConfig>({
  name: "causeflow-slug-convention",
  description:
    "Tenant slugs follow the organization's convention: a slug is a tenant's permanent, globally unique identifier in CauseFlow " +
    "(changing it replaces the tenant), so it must be right from the start.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      pattern: {
        type: "string",
        minLength: 1,
        default: DEFAULT_SLUG_CONVENTION,
        description:
          "A JavaScript regular expression that every slug must match, unanchored: ^acme- asks for a company prefix. Default: lowercase " +
          "words of letters and digits joined by single hyphens, starting with a letter.",
      },
    },
  },
  check: checkSlugConvention,
});

/** Each tenant whose slug another tenant of the stack has too, naming the others. Unknown slugs are not compared. */
export function checkUniqueSlugs(tenants: Tenant[]): Map<Tenant, Finding[]> {
  const bySlug = new Map<string, Tenant[]>();
  for (const tenant of tenants) {
    if (typeof tenant.slug === "string") bySlug.set(tenant.slug, [...(bySlug.get(tenant.slug) ?? []), tenant]);
  }
  const found = new Map<Tenant, Finding[]>();
  for (const [slug, sharing] of bySlug) {
    if (sharing.length < 2) continue;
    for (const tenant of sharing) {
      const others = sharing.filter((other) => other !== tenant).map((other) => other.urn);
      found.set(tenant, [
        violation(
          "slug",
          `slug ${JSON.stringify(slug)} is also the slug of ${others.join(" and ")}. Slugs are unique in CauseFlow: whichever is created ` +
            "second fails with slug_conflict, or, with adoptExisting, takes over the other's tenant, so two resources would manage one " +
            "tenant. Give each tenant its own slug.",
        ),
      ]);
    }
  }
  return found;
}

export const uniqueSlugs = stackPolicy<Record<string, never>>({
  name: "causeflow-unique-slugs",
  description:
    "Each tenant of a stack has its own slug: slugs are unique in CauseFlow, so a second tenant with a slug already taken fails to " +
    "create, or, with adoptExisting, takes over the first one's tenant, leaving two resources managing one tenant.",
  enforcementLevel: "mandatory",
  configSchema: { properties: {} },
  check: checkUniqueSlugs,
});
