import { checkProductionProtection, DEFAULT_PRODUCTION_STACKS, productionProtection } from "../../../policy/protection";
import { tenant } from "../../support/policyTenants";

const defaults = { productionStacks: DEFAULT_PRODUCTION_STACKS };

it("refuses an unprotected tenant in a production stack, naming the stack, the config and the fix", () => {
  expect(checkProductionProtection(tenant(undefined, { stack: "prod" }), { productionStacks: ["prod"] })).toEqual([
    {
      property: "protect",
      known: true,
      message:
        'the resource option protect is not set, and stack "prod" is a production stack (productionStacks: ["prod"]). ' +
        "Add `protect: true` to the tenant's resource options (`pulumi state unprotect` releases it when it really must go).",
    },
  ]);
});

it("accepts a protected tenant there, and any tenant elsewhere", () => {
  expect(checkProductionProtection(tenant(undefined, { stack: "prod", protect: true }), defaults)).toEqual([]);
  expect(checkProductionProtection(tenant(undefined, { stack: "staging" }), defaults)).toEqual([]);
});

it.each(["prod", "production", "prod-eu", "production-2", "eu-prod", "Billing-Production"])("takes stack %s as production by default", (stack) => {
  expect(checkProductionProtection(tenant(undefined, { stack }), defaults)).toHaveLength(1);
});

it.each(["dev", "staging", "product", "preprod", "prod2"])("does not take stack %s as production by default", (stack) => {
  expect(checkProductionProtection(tenant(undefined, { stack }), defaults)).toEqual([]);
});

it("is mandatory by default, with the documented production stacks", () => {
  expect(productionProtection.enforcementLevel).toBe("mandatory");
  expect(productionProtection.configSchema.properties.productionStacks).toMatchObject({ default: ["prod", "production", "prod-*", "production-*", "*-prod", "*-production"] });
});
