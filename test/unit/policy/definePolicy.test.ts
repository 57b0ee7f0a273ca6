/**
 * validateResource and validateStack as @pulumi/policy calls them, with args made here; the
 * analyzer tests (pack.test.ts) run the same through the real server.
 */
import * as policy from "@pulumi/policy";
import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { NOT_A_TENANT, stackPolicy, tenantPolicy } from "../../../policy/definePolicy";
import { DYNAMIC_TENANT_TYPE } from "@causeflow/pulumi/rules";
import { notKnownYet, violation, type Tenant } from "../../../policy/tenant";
import { ACME } from "../../support/policyTenants";

const { UnknownValueError } = policy as unknown as { UnknownValueError: new (...args: never[]) => Error };

const urn = (name: string, type = DYNAMIC_TENANT_TYPE) => `urn:pulumi:dev::causeflow::${type}::${name}`;

/** A rule that finds what each tenant's name says: "bad" a violation, "later" a value not known yet. */
const seen: { tenant: Tenant; config: { level: number } }[] = [];
const rule = {
  name: "test-rule",
  description: "Why the rule exists.",
  enforcementLevel: "mandatory" as const,
  configSchema: { properties: { level: { type: "number" as const, default: 1 } } },
  check(tenant: Tenant, config: { level: number }) {
    seen.push({ tenant, config });
    return [
      ...(tenant.name.includes("bad") ? [violation("slug", "slug is bad. Change it.")] : []),
      ...(tenant.name.includes("later") ? [notKnownYet("settings.autoRemediation", "settings.autoRemediation is not known yet.")] : []),
    ];
  },
};

class NotApplicable extends Error {}

function resourceArgs(name: string, type = DYNAMIC_TENANT_TYPE, config: Record<string, unknown> = {}): ResourceValidationArgs {
  return {
    type,
    urn: urn(name, type),
    name,
    props: ACME,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    getConfig: <T>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  } as unknown as ResourceValidationArgs;
}

function validate(name: string, type = DYNAMIC_TENANT_TYPE, config: Record<string, unknown> = {}): { reported: [string, string | undefined][]; thrown?: Error } {
  const reported: [string, string | undefined][] = [];
  seen.length = 0;
  try {
    tenantPolicy(rule).validateResource(resourceArgs(name, type, config), (message, at) => reported.push([message, at]));
    return { reported };
  } catch (error) {
    return { reported, thrown: error as Error };
  }
}

describe("tenantPolicy", () => {
  it("passes the tenant and its config, with the schema's defaults, to the check", () => {
    expect(validate("fine")).toEqual({ reported: [] });
    expect(seen.map(({ tenant, config }) => [tenant.slug, config])).toEqual([["acme-corp", { level: 1 }]]);
    validate("fine", DYNAMIC_TENANT_TYPE, { level: 2 });
    expect(seen[0].config).toEqual({ level: 2 });
  });

  it("reports each violation naming the tenant by slug and URN, at the tenant's URN", () => {
    expect(validate("bad").reported).toEqual([[`CauseFlow tenant "acme-corp" (${urn("bad")}): slug is bad. Change it.`, urn("bad")]]);
  });

  it("reports values not known yet as one UnknownValueError, which @pulumi/policy turns into an advisory, after the violations", () => {
    const { reported, thrown } = validate("bad-later");
    expect(reported).toHaveLength(1);
    expect(thrown).toBeInstanceOf(UnknownValueError);
    expect(thrown!.message).toBe(`CauseFlow tenant "acme-corp" (${urn("bad-later")}): settings.autoRemediation is not known yet.`);
  });

  it("is not applicable to other resources, and runs no check for them", () => {
    const { thrown } = validate("role", "aws:iam/role:Role");
    expect(thrown).toBeInstanceOf(NotApplicable);
    expect(thrown!.message).toBe(NOT_A_TENANT);
    expect(seen).toEqual([]);
  });

  it("stops on a config key the policy does not have", () => {
    expect(validate("fine", DYNAMIC_TENANT_TYPE, { levl: 2 }).thrown?.message).toMatch(/^policy test-rule: "levl" is not one of its settings/);
  });

  it("keeps the policy's metadata for the pack, and its rule for the tests", () => {
    const { validateResource, rule: kept, ...metadata } = tenantPolicy(rule);
    expect(metadata).toEqual({ name: rule.name, description: rule.description, enforcementLevel: "mandatory", configSchema: rule.configSchema });
    expect(kept).toBe(rule);
  });
});

describe("stackPolicy", () => {
  const resource = (name: string, type = DYNAMIC_TENANT_TYPE) => ({ ...resourceArgs(name, type), dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource;

  function validateStack(resources: PolicyResource[]) {
    const checked: string[][] = [];
    const reported: string[] = [];
    const stackRule = {
      ...rule,
      check: (tenants: Tenant[]) => {
        checked.push(tenants.map((t) => t.name));
        return new Map(tenants.map((t) => [t, rule.check(t, { level: 1 })]));
      },
    };
    const args = { resources, getConfig: () => ({}), notApplicable: (reason?: string): never => { throw new NotApplicable(reason); } } as unknown as StackValidationArgs;
    try {
      stackPolicy(stackRule).validateStack(args, (message) => reported.push(message));
      return { checked, reported };
    } catch (error) {
      return { checked, reported, thrown: error as Error };
    }
  }

  it("checks the stack's tenants together, and no other resource", () => {
    const { checked, reported } = validateStack([resource("bad-one"), resource("role", "aws:iam/role:Role"), resource("fine")]);
    expect(checked).toEqual([["bad-one", "fine"]]);
    expect(reported).toEqual([`CauseFlow tenant "acme-corp" (${urn("bad-one")}): slug is bad. Change it.`]);
  });

  it("reports every tenant's unknowns in one advisory, after every violation", () => {
    const { reported, thrown } = validateStack([resource("later-one"), resource("bad-two"), resource("later-three")]);
    expect(reported).toHaveLength(1);
    expect(thrown).toBeInstanceOf(UnknownValueError);
    expect(thrown!.message.split("\n")).toEqual([urn("later-one"), urn("later-three")].map((at) => `CauseFlow tenant "acme-corp" (${at}): settings.autoRemediation is not known yet.`));
  });

  it("is not applicable to a stack without tenants", () => {
    expect(validateStack([resource("role", "aws:iam/role:Role")]).thrown?.message).toBe(NOT_A_TENANT);
  });
});
