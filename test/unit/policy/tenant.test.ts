import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { DYNAMIC_TENANT_TYPE, PLANS, PLUGIN_TENANT_TYPE, UNKNOWN_VALUE } from "@causeflow/pulumi/rules";
import { PluginTenant } from "../../../tools/engine-model/pluginTenant";
import { runProgram, type Registration } from "../../../tools/engine-model/program";
import { describeTenant, NOT_KNOWN_YET, stackOf, tenantOf } from "../../../policy/tenant";
import { ACME, FULL_SETTINGS, tenant } from "../../support/policyTenants";

/** A resource whose output `value` is not known during preview: the mocks give it none. */
class Thing extends pulumi.CustomResource {
  declare readonly value: pulumi.Output<unknown>;
  constructor(name: string) {
    super("test:index:Thing", name, { value: undefined });
  }
}

const asAnalyzed = ({ type, urn, name, inputs, protect }: Registration) => ({ type, urn, name, props: inputs, opts: { protect } });

describe("the two forms of a tenant", () => {
  it.each([
    ["causeflow.Tenant", causeflow.Tenant, DYNAMIC_TENANT_TYPE],
    ["the plugin's Tenant", PluginTenant, PLUGIN_TENANT_TYPE],
  ])("matches %s by the type token its program registers", async (_, Tenant, type) => {
    const [registration] = await runProgram(() => [new Tenant("acme", ACME)]);
    expect(registration.type).toBe(type);
    expect(tenantOf(asAnalyzed(registration))?.type).toBe(type);
  });

  it("reads both forms' registrations alike, the dynamic form's __provider aside", async () => {
    const args = { ...ACME, settings: { ...FULL_SETTINGS, autoRemediation: false } };
    const registrations = await runProgram(() => [new causeflow.Tenant("acme", args, { protect: true }), new PluginTenant("acme-plugin", args, { protect: true })]);
    const [dynamic, plugin] = [DYNAMIC_TENANT_TYPE, PLUGIN_TENANT_TYPE].map((type) => registrations.find((r) => r.type === type)!);
    expect(dynamic.inputs).toHaveProperty("__provider");
    const read = (registration: Registration) => {
      const { type, urn, name, ...fields } = tenantOf(asAnalyzed(registration))!;
      return fields;
    };
    expect(read(dynamic)).toEqual({ stack: "dev", protect: true, slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro", settings: args.settings });
    expect(read(plugin)).toEqual(read(dynamic));
  });

  it("is no tenant for any other type", () => {
    expect(tenantOf({ type: "aws:iam/role:Role", urn: "urn:pulumi:dev::p::aws:iam/role:Role::r", name: "r", props: ACME, opts: { protect: false } })).toBeUndefined();
  });
});

describe("values not known until the update", () => {
  it("reads a setting the preview does not know as NOT_KNOWN_YET, the others as given", async () => {
    const [, registration] = await runProgram(
      () => {
        const thing = new Thing("role");
        return [thing, new causeflow.Tenant("acme", { ...ACME, settings: { ...FULL_SETTINGS, awsRoleArn: thing.value as pulumi.Output<string> } })];
      },
      { preview: true },
    );
    expect((registration.inputs.settings as Record<string, unknown>).awsRoleArn).toBe(UNKNOWN_VALUE);
    expect(tenantOf(asAnalyzed(registration))!.settings).toEqual({ ...FULL_SETTINGS, awsRoleArn: NOT_KNOWN_YET });
  });

  it("reads settings given whole as an output the preview does not know as NOT_KNOWN_YET", async () => {
    const [, registration] = await runProgram(
      () => {
        const thing = new Thing("settings");
        return [thing, new PluginTenant("acme", { ...ACME, settings: thing.value.apply(() => ({ autoRemediation: true })) })];
      },
      { preview: true },
    );
    expect(tenantOf(asAnalyzed(registration))!.settings).toBe(NOT_KNOWN_YET);
  });

  it("recognizes each of Pulumi's unknown sentinels in plain props, as the analyzer's proxy does", () => {
    // A boolean, an object: the engine marshals an unknown by its element type.
    expect(tenant({ ...ACME, settings: { autoRemediation: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" } }).settings).toEqual({ autoRemediation: NOT_KNOWN_YET });
    expect(tenant({ ...ACME, settings: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff" }).settings).toBe(NOT_KNOWN_YET);
    expect(tenant({ ...ACME, slug: UNKNOWN_VALUE }).slug).toBe(NOT_KNOWN_YET);
  });
});

describe("reading a tenant", () => {
  it("leaves a plan the program does not set undefined, for the checks to take the default", () => {
    const { plan, ...rest } = ACME;
    expect(tenant(rest).plan).toBeUndefined();
    expect(PLANS).toContain(tenant().plan);
  });

  it("takes null settings as no settings, as the provider's check does", () => {
    expect(tenant({ ...ACME, settings: { awsRegion: "us-east-1", awsRoleArn: null } }).settings).toEqual({ awsRegion: "us-east-1" });
    expect(tenant({ ...ACME, settings: null }).settings).toBeUndefined();
  });

  it("reads a field of another type than the schema's as absent, which the provider's check refuses anyway", () => {
    expect(tenant({ ...ACME, slug: 42, ownerEmail: ["owner@acme.com"] })).toMatchObject({ slug: undefined, ownerEmail: undefined });
  });

  it("takes the stack from the URN", () => {
    expect(stackOf("urn:pulumi:prod-eu::causeflow-fleet::causeflow:index:Tenant::acme")).toBe("prod-eu");
    expect(() => stackOf("acme")).toThrow("not a Pulumi URN: acme");
  });

  it("names the tenant by its slug and URN, or by its name while the slug is not known", () => {
    const urn = `urn:pulumi:dev::causeflow::${DYNAMIC_TENANT_TYPE}::acme`;
    expect(describeTenant(tenant())).toBe(`CauseFlow tenant "acme-corp" (${urn})`);
    expect(describeTenant(tenant({ ...ACME, slug: UNKNOWN_VALUE }))).toBe(`CauseFlow tenant acme (slug not known until the update runs) (${urn})`);
  });
});
