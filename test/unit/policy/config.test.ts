import type { PolicyConfigSchema } from "@pulumi/policy";
import { configOf, setting, stackMatches } from "../../../policy/config";

const schema: PolicyConfigSchema = {
  properties: {
    allowedStacks: { type: "array", default: ["prod"] },
    pattern: { type: "string" },
  },
};

describe("configOf", () => {
  it("fills what the config leaves out from the schema's defaults, as the engine does", () => {
    expect(configOf("p", schema, {})).toEqual({ allowedStacks: ["prod"], pattern: undefined });
    expect(configOf("p", schema, { allowedStacks: [], pattern: "^a" })).toEqual({ allowedStacks: [], pattern: "^a" });
  });

  it("refuses a key the schema does not have, naming the policy, the key and the settings there are", () => {
    expect(() => configOf("causeflow-x", schema, { allowedStack: ["dev"] })).toThrow(
      'policy causeflow-x: "allowedStack" is not one of its settings; they are allowedStacks, pattern, and enforcementLevel',
    );
    expect(() => configOf("causeflow-x", schema, { a: 1, b: 2 })).toThrow('policy causeflow-x: "a", "b" are not among its settings');
  });
});

describe("stackMatches", () => {
  it.each([
    ["prod", ["prod"], true],
    ["Prod", ["prod"], true],
    ["prod-eu", ["prod"], false],
    ["prod-eu", ["prod-*"], true],
    ["eu-prod", ["*-prod"], true],
    ["staging", ["dev", "staging"], true],
    ["prodxeu", ["prod.eu"], false],
    ["anything", ["*"], true],
    ["dev", [], false],
  ])("%s against %j: %s", (stack, patterns, expected) => {
    expect(stackMatches(stack, patterns)).toBe(expected);
  });
});

it("quotes a setting as JSON, lists spaced", () => {
  expect(setting("allowedStacks", ["prod", "prod-*"])).toBe('allowedStacks: ["prod", "prod-*"]');
  expect(setting("allowedStacks", [])).toBe("allowedStacks: []");
  expect(setting("pattern", "^acme-")).toBe('pattern: "^acme-"');
});
