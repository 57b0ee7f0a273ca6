import { UNKNOWN_VALUE } from "@causeflow/pulumi/rules";
import { AUTO_REMEDIATION_CAUTION, autoRemediation, checkAutoRemediation } from "../../../policy/remediation";
import { ACME, FULL_SETTINGS, tenant } from "../../support/policyTenants";

const withAutoRemediation = (value: unknown) => ({ ...ACME, settings: { ...FULL_SETTINGS, autoRemediation: value } });
const none = { allowedStacks: [] };

it("refuses autoRemediation in a stack not approved for it, quoting the caution, the config and what to change", () => {
  expect(checkAutoRemediation(tenant(withAutoRemediation(true)), { allowedStacks: ["prod-eu", "sandbox-*"] })).toEqual([
    {
      property: "settings.autoRemediation",
      known: true,
      message:
        'settings.autoRemediation is true, but stack "dev" is not one where auto-remediation was approved (allowedStacks: ["prod-eu", "sandbox-*"]). ' +
        `The API reference warns: "${AUTO_REMEDIATION_CAUTION}" Set settings.autoRemediation to false, or remove it; or, once auto-remediation ` +
        'is approved for this stack, add "dev" (or a pattern matching it) to allowedStacks in this policy\'s config.',
    },
  ]);
});

it("allows it where a pattern approves the stack, and nowhere by default", () => {
  expect(checkAutoRemediation(tenant(withAutoRemediation(true), { stack: "sandbox-7" }), { allowedStacks: ["prod-eu", "sandbox-*"] })).toEqual([]);
  expect(autoRemediation.configSchema.properties.allowedStacks).toMatchObject({ default: [] });
  expect(autoRemediation.enforcementLevel).toBe("mandatory");
});

it.each([["false", false], ["absent", undefined]])("has nothing to say when it is %s", (_, value) => {
  expect(checkAutoRemediation(tenant(withAutoRemediation(value)), none)).toEqual([]);
  expect(checkAutoRemediation(tenant(ACME), none)).toEqual([]);
});

it("says so when autoRemediation is not known yet in a stack not approved for it, and only there", () => {
  expect(checkAutoRemediation(tenant(withAutoRemediation(UNKNOWN_VALUE)), none)).toEqual([
    {
      property: "settings.autoRemediation",
      known: false,
      message:
        'settings.autoRemediation is not known until the update runs, and stack "dev" is not one where auto-remediation was approved (allowedStacks: []). ' +
        "If autoRemediation turns out true, `pulumi up` fails this policy before the tenant is changed; give it a value known at preview, such as false.",
    },
  ]);
  expect(checkAutoRemediation(tenant(withAutoRemediation(UNKNOWN_VALUE)), { allowedStacks: ["dev"] })).toEqual([]);
});

it("says so of settings not known as a whole", () => {
  expect(checkAutoRemediation(tenant({ ...ACME, settings: UNKNOWN_VALUE }), none)).toEqual([expect.objectContaining({ property: "settings", known: false })]);
});
