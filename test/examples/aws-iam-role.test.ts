import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { EXTERNAL_ID_PATTERN } from "@causeflow/pulumi/provider";
import {
  allowPolicy,
  checkPrincipalArn,
  externalIdArgs,
  readOnlyActions,
  remediationActions,
  trustPolicy,
} from "../../examples/aws-iam-role/causeflowAwsRole";
import program = require("../../examples/aws-iam-role/index");
import { REPO_ROOT, startStack } from "../engine/fixture";
import { EXTERNAL_ID, projectName, resolve, runExample } from "./run";

const PRINCIPAL = "arn:aws:iam::210987654321:root";
const project = projectName("aws-iam-role");
const principalConfig = { [`${project}:causeflowPrincipalArn`]: PRINCIPAL };
const run = (config: Record<string, string | undefined> = {}) => runExample("aws-iam-role", program, { ...principalConfig, ...config });

/**
 * The actions CONTRACT.md lists in prose after `lead` up to the next full stop, such as
 * "cloudwatch GetMetricData, DescribeAlarms; logs GetLogEvents": a lowercase word names the
 * service of the capitalized actions after it.
 */
function documentedActions(lead: string): string[] {
  const contract = oneLine(readFileSync(CONTRACT_EXCERPT, "utf8"));
  const prose = contract.slice(contract.indexOf(lead) + lead.length).split(".")[0];
  let service = "";
  const actions: string[] = [];
  for (const word of prose.split(/[\s,;]+/).filter((w) => w && w !== "and")) {
    if (/^[a-z]/.test(word)) service = word;
    else actions.push(`${service}:${word}`);
  }
  return actions;
}

const CONTRACT_EXCERPT = path.join(__dirname, "fixtures", "contract-aws.md");
const CONTRACT = path.join(REPO_ROOT, "..", "shared", "api", "CONTRACT.md");
const oneLine = (text: string) => text.replace(/\s+/g, " ");

// CI has the contract beside the repository; a newcomer's clone may not.
(existsSync(CONTRACT) ? it : it.skip)("checks against a copy that is still CONTRACT.md's text", () => {
  const excerpt = readFileSync(CONTRACT_EXCERPT, "utf8").replace(/^<!--.*-->\n/, "");
  expect(oneLine(readFileSync(CONTRACT, "utf8"))).toContain(oneLine(excerpt).trim());
});

describe("the CauseFlow AWS role's policies", () => {
  it("grant exactly the read-only actions CONTRACT.md documents", () => {
    const documented = documentedActions("Read-only permissions CauseFlow documents:");
    expect(documented).toHaveLength(19);
    expect([...readOnlyActions].sort()).toEqual(documented.sort());
  });

  it("grant, for remediation, exactly the write actions CONTRACT.md names", () => {
    const documented = documentedActions("needs write actions such as");
    expect(documented).toEqual(expect.arrayContaining(["ecs:UpdateService", "ssm:SendCommand"]));
    expect([...remediationActions].sort()).toEqual(documented.sort());
  });

  it("trust CauseFlow's principal alone, with sts:AssumeRole and StringEquals on the external ID", () => {
    expect(trustPolicy(PRINCIPAL, "ext-1")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: PRINCIPAL },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "ext-1" } },
        },
      ],
    });
  });

  it("are allow statements on every resource for the given actions", () => {
    expect(allowPolicy(["sts:GetCallerIdentity"])).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["sts:GetCallerIdentity"], Resource: "*" }],
    });
  });
});

describe("checkPrincipalArn", () => {
  it.each(["arn:aws:iam::210987654321:root", "arn:aws:iam::210987654321:role/causeflow/Investigator", "arn:aws-us-gov:iam::210987654321:user/cf"])(
    "accepts the IAM principal %s",
    (arn) => expect(checkPrincipalArn(arn)).toBe(arn),
  );

  it.each(["*", "arn:aws:iam::*:root", "arn:aws:iam::210987654321:role/*", "210987654321", ""])("refuses %j, saying where the principal comes from", (arn) => {
    expect(() => checkPrincipalArn(arn)).toThrow(/is not the ARN of one IAM principal .*CauseFlow dashboard/);
  });
});

describe("the external ID", () => {
  it("is generated only from characters AWS allows in an external ID, at a length AWS accepts", () => {
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    // The random provider's character classes; its default specials unless special is off.
    let alphabet = `${letters}${letters.toLowerCase()}0123456789`;
    if (externalIdArgs.special !== false) alphabet += externalIdArgs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?";
    expect(alphabet).toMatch(EXTERNAL_ID_PATTERN);
    expect("x".repeat(externalIdArgs.length as number)).toMatch(EXTERNAL_ID_PATTERN);
  });
});

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
