import { PLANS, UNKNOWN_VALUE } from "@causeflow/pulumi/rules";
import { allowedPlans, checkAllowedPlans } from "../../../policy/allowedPlans";
import { ACME, tenant } from "../../support/policyTenants";

const { plan, ...withoutPlan } = ACME;

it("refuses a plan off the allow-list, with the list, the fix, and how to fix a tenant that exists", () => {
  expect(checkAllowedPlans(tenant({ ...ACME, plan: "enterprise" }), { allowedPlans: ["starter", "pro"] })).toEqual([
    {
      property: "plan",
      known: true,
      message:
        'plan "enterprise" is not one the contract allows (allowedPlans: ["starter", "pro"]). Set plan to starter or pro. The API cannot ' +
        "change a plan once the tenant exists: for a tenant that exists, change its plan in CauseFlow, run `pulumi refresh`, then set plan here to match.",
    },
  ]);
});

it("checks the default plan when the program sets none, and says it is the default", () => {
  expect(checkAllowedPlans(tenant(withoutPlan), { allowedPlans: ["pro"] })[0].message).toMatch(/^plan "starter" \(the default, as plan is not set\) is not one/);
  expect(checkAllowedPlans(tenant(withoutPlan), { allowedPlans: ["starter"] })).toEqual([]);
});

it("allows the provider's four plans by default, and nothing beyond them", () => {
  const defaults = allowedPlans.configSchema.properties.allowedPlans;
  expect(defaults).toMatchObject({ default: [...PLANS], items: { enum: [...PLANS] } });
  for (const plan of PLANS) expect(checkAllowedPlans(tenant({ ...ACME, plan }), { allowedPlans: [...PLANS] })).toEqual([]);
  expect(checkAllowedPlans(tenant({ ...ACME, plan: "community" }), { allowedPlans: [...PLANS] })).toHaveLength(1);
});

it("says so of a plan not known yet", () => {
  expect(checkAllowedPlans(tenant({ ...ACME, plan: UNKNOWN_VALUE }), { allowedPlans: ["pro"] })).toEqual([expect.objectContaining({ property: "plan", known: false })]);
});
