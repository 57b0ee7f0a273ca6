/**
 * Owners come from the organization's email domains. The owner is invited to activate the
 * tenant and administers it, and cannot change once the tenant exists.
 */
import { setting } from "./config";
import { tenantPolicy } from "./definePolicy";
import { notKnownYet, NOT_KNOWN_YET, violation, type Finding, type Tenant } from "./tenant";

export interface OwnerDomainsConfig {
  /** Email domains owners may have; empty: not configured, any domain. */
  allowedDomains: string[];
}

export function checkOwnerDomains(tenant: Tenant, config: OwnerDomainsConfig): Finding[] {
  const { allowedDomains } = config;
  const { ownerEmail } = tenant;
  if (allowedDomains.length === 0 || ownerEmail === undefined) return [];
  const allowed = setting("allowedDomains", allowedDomains);
  if (ownerEmail === NOT_KNOWN_YET) {
    return [notKnownYet("ownerEmail", `ownerEmail is not known until the update runs, so its domain cannot be checked against ${allowed} yet.`)];
  }
  // Domains ignore case (the provider takes an owner whose domain differs only in case as the same).
  const domain = ownerEmail.slice(ownerEmail.lastIndexOf("@") + 1).toLowerCase();
  if (allowedDomains.some((allowedDomain) => allowedDomain.toLowerCase() === domain)) return [];
  return [
    violation(
      "ownerEmail",
      `ownerEmail is an address at ${domain}, which is not one of the organization's domains (${allowed}). Give the tenant an ` +
        "owner at one of them before the first `pulumi up`: the owner cannot change once the tenant exists.",
    ),
  ];
}

export const ownerDomains = tenantPolicy<OwnerDomainsConfig>({
  name: "causeflow-owner-email-domains",
  description:
    "Tenant owners come from the organization's email domains: the owner is invited to activate the tenant and administers it, " +
    "and cannot be changed once the tenant exists.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedDomains: {
        type: "array",
        items: { type: "string", pattern: "^[^@\\s]+$" },
        uniqueItems: true,
        default: [],
        description: "The email domains owners may have, such as acme.com; subdomains are not included. Empty (the default): any domain.",
      },
    },
  },
  check: checkOwnerDomains,
});
