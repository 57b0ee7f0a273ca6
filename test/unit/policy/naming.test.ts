import { DYNAMIC_TENANT_TYPE, PLUGIN_TENANT_TYPE, UNKNOWN_VALUE } from "@causeflow/pulumi/rules";
import { checkSlugConvention, checkUniqueSlugs, DEFAULT_SLUG_CONVENTION, slugConvention, uniqueSlugs } from "../../../policy/naming";
import { tenantOf } from "../../../policy/tenant";
import { ACME, tenant } from "../../support/policyTenants";

const defaults = { pattern: DEFAULT_SLUG_CONVENTION };
const withSlug = (slug: unknown) => tenant({ ...ACME, slug });

describe("the slug convention", () => {
  it("refuses a slug off the configured pattern, quoting the slug and the pattern, and saying why to fix it now", () => {
    expect(checkSlugConvention(withSlug("globex"), { pattern: "^acme-" })).toEqual([
      {
        property: "slug",
        known: true,
        message:
          'slug "globex" does not follow the organization\'s convention (pattern: "^acme-"). Choose a slug that matches before the first ' +
          "`pulumi up`: changing a slug later replaces the tenant, and the old one stays in CauseFlow, unmanaged.",
      },
    ]);
    expect(checkSlugConvention(withSlug("acme-corp"), { pattern: "^acme-" })).toEqual([]);
  });

  it.each(["acme", "acme-corp", "acme-eu-2", "a1"])("accepts %s by default", (slug) => {
    expect(checkSlugConvention(withSlug(slug), defaults)).toEqual([]);
  });

  // All of these pass the API's own rule (lowercase letters, digits and hyphens).
  it.each(["-acme", "acme-", "acme--corp", "1acme", "-"])("flags %s by default, as advisory", (slug) => {
    expect(checkSlugConvention(withSlug(slug), defaults)).toEqual([expect.objectContaining({ property: "slug", known: true })]);
    expect(slugConvention.enforcementLevel).toBe("advisory");
  });

  it("says so of a slug not known yet", () => {
    expect(checkSlugConvention(withSlug(UNKNOWN_VALUE), defaults)).toEqual([
      { property: "slug", known: false, message: `slug is not known until the update runs, so it cannot be checked against pattern: ${JSON.stringify(DEFAULT_SLUG_CONVENTION)} yet.` },
    ]);
  });

  it("stops on a pattern that is no regular expression", () => {
    expect(() => checkSlugConvention(withSlug("acme"), { pattern: "(acme" })).toThrow(/^policy causeflow-slug-convention: pattern: "\(acme" is not a valid JavaScript regular expression: /);
  });
});

describe("unique slugs", () => {
  const at = (name: string, slug: unknown, type = DYNAMIC_TENANT_TYPE) =>
    tenantOf({ type, urn: `urn:pulumi:dev::causeflow::${type}::${name}`, name, props: { ...ACME, slug }, opts: { protect: false } })!;

  it("flags every tenant whose slug another has, across both forms, each naming the others", () => {
    const first = at("acme", "acme-corp");
    const second = at("acme-again", "acme-corp", PLUGIN_TENANT_TYPE);
    const third = at("acme-third", "acme-corp");
    const found = checkUniqueSlugs([first, at("globex", "globex"), second, third]);
    expect([...found.keys()]).toEqual([first, second, third]);
    expect(found.get(second)).toEqual([
      {
        property: "slug",
        known: true,
        message:
          `slug "acme-corp" is also the slug of ${first.urn} and ${third.urn}. Slugs are unique in CauseFlow: whichever is created second ` +
          "fails with slug_conflict, or, with adoptExisting, takes over the other's tenant, so two resources would manage one tenant. Give each tenant its own slug.",
      },
    ]);
  });

  it("does not compare slugs not known yet", () => {
    expect(checkUniqueSlugs([at("a", UNKNOWN_VALUE), at("b", UNKNOWN_VALUE)]).size).toBe(0);
  });

  it("is a mandatory stack policy", () => {
    expect(uniqueSlugs.enforcementLevel).toBe("mandatory");
    expect(uniqueSlugs).toHaveProperty("validateStack");
  });
});
