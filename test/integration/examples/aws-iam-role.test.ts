import { allowPolicy, readOnlyActions, remediationActions, trustPolicy } from "@causeflow/pulumi/aws";
import program = require("../../../examples/typescript/aws-iam-role/index");
import { startStack } from "../../support/stack";
import { EXTERNAL_ID, projectName, resolve, runExample } from "../../support/examples";

// The component's policies and pure functions are tested in test/integration/sdk/dynamic/aws.test.ts; here, the program.
const PRINCIPAL = "arn:aws:iam::210987654321:root";
const project = projectName("aws-iam-role");
const principalConfig = { [`${project}:causeflowPrincipalArn`]: PRINCIPAL };
const run = (config: Record<string, string | undefined> = {}) => runExample("aws-iam-role", program, { ...principalConfig, ...config });

describe("the aws-iam-role program", () => {
  it("creates the role with the trust policy for the configured principal and the generated external ID, kept secret", async () => {
    const { byType } = await run();
    const role = byType("aws:iam/role:Role").get("causeflow-role")!;
    expect(role.inputs.assumeRolePolicy).toEqual(trustPolicy(PRINCIPAL, EXTERNAL_ID));
    expect(role.secretPaths).toEqual(["assumeRolePolicy.Statement[0].Condition.StringEquals.sts:ExternalId"]);
  });

  it("attaches the documented read-only policy to that role, and no remediation policy by default", async () => {
    const { byType } = await run();
    const policies = byType("aws:iam/rolePolicy:RolePolicy");
    expect([...policies.keys()]).toEqual(["causeflow-read-only"]);
    expect(policies.get("causeflow-read-only")!.inputs).toEqual({ role: "causeflow-role-id", policy: allowPolicy(readOnlyActions) });
    expect(byType("pulumi-nodejs:dynamic/causeflow:Tenant").get("tenant")!.inputs.settings).toMatchObject({ autoRemediation: false });
  });

  it("attaches the remediation policy too when autoRemediation is on, and tells the tenant", async () => {
    const { byType } = await run({ [`${project}:autoRemediation`]: "true" });
    const policies = byType("aws:iam/rolePolicy:RolePolicy");
    expect([...policies.keys()].sort()).toEqual(["causeflow-read-only", "causeflow-remediation"]);
    expect(policies.get("causeflow-remediation")!.inputs).toEqual({ role: "causeflow-role-id", policy: allowPolicy(remediationActions) });
    expect(byType("pulumi-nodejs:dynamic/causeflow:Tenant").get("tenant")!.inputs.settings).toMatchObject({ autoRemediation: true });
  });

  it("gives the tenant the role's ARN, the external ID as a secret and the region, after the role and its policies", async () => {
    const { registrations, byType } = await run({ [`${project}:autoRemediation`]: "true" });
    const tenant = byType("pulumi-nodejs:dynamic/causeflow:Tenant").get("tenant")!;
    expect(tenant.inputs).toMatchObject({
      name: "Umbrella Corp",
      slug: "umbrella",
      ownerEmail: "owner@umbrella.example",
      plan: "pro",
      settings: { awsRoleArn: "arn:aws:iam::123456789012:role/causeflow-role", awsExternalId: EXTERNAL_ID, awsRegion: "us-east-1" },
    });
    expect(tenant.secretPaths).toEqual(["settings.awsExternalId"]);
    const awsUrns = registrations.filter((r) => r.type.startsWith("aws:")).map((r) => r.urn);
    expect(awsUrns).toHaveLength(3);
    expect(tenant.dependencies).toEqual(expect.arrayContaining(awsUrns));
  });

  it("outputs the tenant id and the role ARN", async () => {
    const { outputs } = await run();
    await expect(resolve(outputs.tenantId)).resolves.toBe("ten_umbrella");
    await expect(resolve(outputs.roleArn)).resolves.toBe("arn:aws:iam::123456789012:role/causeflow-role");
  });

  it("keeps the external ID's inputs whatever else changes, so Pulumi never generates a new one", async () => {
    const before = (await run()).byType("random:index/randomPassword:RandomPassword");
    const after = (await run({ [`${project}:autoRemediation`]: "true", [`${project}:tenantName`]: "Umbrella" })).byType("random:index/randomPassword:RandomPassword");
    expect([...after.values()].map((r) => [r.name, r.inputs])).toEqual([...before.values()].map((r) => [r.name, r.inputs]));
  });

  it("registers a tenant the provider accepts, which CauseFlow then holds with the role's settings", async () => {
    const { byType } = await run({ [`${project}:autoRemediation`]: "true" });
    const stack = await startStack();
    try {
      await stack.engine.up(byType("pulumi-nodejs:dynamic/causeflow:Tenant").get("tenant")!);
      expect(stack.emulator.store.findBySlug("umbrella")?.settings).toEqual({
        awsRoleArn: "arn:aws:iam::123456789012:role/causeflow-role",
        awsExternalId: EXTERNAL_ID,
        awsRegion: "us-east-1",
        autoRemediation: true,
      });
    } finally {
      await stack.close();
    }
  });

  it("refuses to run without CauseFlow's principal, naming the config key", async () => {
    await expect(runExample("aws-iam-role", program)).rejects.toThrow(`${project}:causeflowPrincipalArn`);
  });
});
