import { UNKNOWN_VALUE } from "@causeflow/pulumi/rules";
import { checkOwnerDomains, ownerDomains } from "../../../policy/owners";
import { ACME, tenant } from "../../support/policyTenants";

const owner = (ownerEmail: unknown) => tenant({ ...ACME, ownerEmail });

it("refuses an owner outside the configured domains, naming the domain (not the address), the list and the fix", () => {
  expect(checkOwnerDomains(owner("jane@gmail.com"), { allowedDomains: ["acme.com", "acme.eu"] })).toEqual([
    {
      property: "ownerEmail",
      known: true,
      message:
        'ownerEmail is an address at gmail.com, which is not one of the organization\'s domains (allowedDomains: ["acme.com", "acme.eu"]). ' +
        "Give the tenant an owner at one of them before the first `pulumi up`: the owner cannot change once the tenant exists.",
    },
  ]);
});

it("takes domains in any case, and no subdomain for its parent", () => {
  expect(checkOwnerDomains(owner("Jane@ACME.com"), { allowedDomains: ["acme.COM"] })).toEqual([]);
  expect(checkOwnerDomains(owner("jane@eu.acme.com"), { allowedDomains: ["acme.com"] })).toHaveLength(1);
  expect(checkOwnerDomains(owner("jane@evil-acme.com"), { allowedDomains: ["acme.com"] })).toHaveLength(1);
});

it("accepts any owner when no domains are configured, the default", () => {
  expect(ownerDomains.configSchema.properties.allowedDomains).toMatchObject({ default: [] });
  expect(checkOwnerDomains(owner("jane@gmail.com"), { allowedDomains: [] })).toEqual([]);
});

it("says so of an owner not known yet, when domains are configured", () => {
  expect(checkOwnerDomains(owner(UNKNOWN_VALUE), { allowedDomains: ["acme.com"] })).toEqual([expect.objectContaining({ property: "ownerEmail", known: false })]);
  expect(checkOwnerDomains(owner(UNKNOWN_VALUE), { allowedDomains: [] })).toEqual([]);
});
