/**
 * The pack as `pulumi preview --policy-pack policy` runs it (test/support/analyzer.ts: started as the nodejs
 * language host starts it, configured and called as the engine does), given what the example
 * programs register under mocks, in both resource forms.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { PLANS } from "@causeflow/pulumi/rules";
import awsIamRole = require("../../../examples/typescript/aws-iam-role/index");
import fleet = require("../../../examples/typescript/fleet/index");
import { AUTO_REMEDIATION_CAUTION } from "../../../policy/remediation";
import { PACK_NAME } from "../../../policy/policies";
import { commandOf, descendantsOf, itOnLinux, killAll, startUntil, survivorsAfter } from "../../support/processes";
import { EXTERNAL_ID, exampleFile } from "../../support/examples";
import { Analyzer, analyzerCommand, analyzerForThisFile, PACK_DIR, summary } from "../../support/analyzer";
import { FORMS, runAs, runExampleAs, type Form } from "../../support/policyPrograms";

jest.mock("@causeflow/pulumi", () => require("../../support/policyPrograms").sdkInEitherForm());

const PRINCIPAL = { causeflowPrincipalArn: "arn:aws:iam::210987654321:root" };
const committedFleet = { fleetFile: exampleFile("fleet", "tenants.yaml") };
const { version } = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string };

const analyzer = analyzerForThisFile();

/** A tenant with a region, and neither the role nor the external ID that must come with it. */
const regionOnly = { name: "Getting Started", slug: "getting-started-dev", ownerEmail: "owner@example.com", settings: { awsRegion: "us-east-1" } };

/** A resource whose output `value` the preview does not know. */
class Thing extends pulumi.CustomResource {
  declare readonly value: pulumi.Output<unknown>;
  constructor(name: string) {
    super("test:index:Thing", name, { value: undefined });
  }
}

describe("what the engine learns of the pack", () => {
  it("is the pack of this folder's package.json, supports config, and lists each policy with its kind and level", async () => {
    const info = await analyzer().info();
    expect(info).toMatchObject({ name: PACK_NAME, version, supportsConfig: true, displayName: "CauseFlow guardrails" });
    expect(info.policies.map((p) => `${p.name} ${p.type} ${p.enforcementLevel}`)).toEqual([
      "causeflow-auto-remediation resource mandatory",
      "causeflow-production-protected resource mandatory",
      "causeflow-slug-convention resource advisory",
      "causeflow-unique-slugs stack mandatory",
      "causeflow-allowed-plans resource mandatory",
      "causeflow-aws-owned-accounts resource mandatory",
      "causeflow-aws-settings-complete resource mandatory",
      "causeflow-owner-email-domains resource mandatory",
    ]);
    for (const policy of info.policies) {
      expect(policy.description).toMatch(/^[A-Z][^:]+: .{40,}\.$/);
      for (const property of Object.values(policy.configSchema?.properties ?? {})) expect(property).toHaveProperty("description");
    }
  });

  it("configures, with no config file, every policy at its level with its schema's defaults, which the schemas accept", async () => {
    expect(await analyzer().configure()).toEqual({
      "causeflow-auto-remediation": { enforcementLevel: "mandatory", properties: { allowedStacks: [] } },
      "causeflow-production-protected": {
        enforcementLevel: "mandatory",
        properties: { productionStacks: ["prod", "production", "prod-*", "production-*", "*-prod", "*-production"] },
      },
      "causeflow-slug-convention": { enforcementLevel: "advisory", properties: { pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$" } },
      "causeflow-unique-slugs": { enforcementLevel: "mandatory" },
      "causeflow-allowed-plans": { enforcementLevel: "mandatory", properties: { allowedPlans: [...PLANS] } },
      "causeflow-aws-owned-accounts": { enforcementLevel: "mandatory", properties: { allowedAccounts: [] } },
      "causeflow-aws-settings-complete": { enforcementLevel: "mandatory" },
      "causeflow-owner-email-domains": { enforcementLevel: "mandatory", properties: { allowedDomains: [] } },
    });
  });

  it.each([
    ["a plan that is no plan", { "causeflow-allowed-plans": { allowedPlans: ["gold"] } }, /causeflow-allowed-plans: \/allowedPlans\/0 must be equal to one of the allowed values/],
    ["an account id that is not 12 digits", { "causeflow-aws-owned-accounts": { allowedAccounts: ["12345"] } }, /causeflow-aws-owned-accounts: \/allowedAccounts\/0 must match pattern/],
    ["a stack list that is not a list", { "causeflow-auto-remediation": { allowedStacks: "prod" } }, /causeflow-auto-remediation: \/allowedStacks must be array/],
  ])("is refused %s by its schema, before anything is analyzed", async (_, file, error) => {
    await expect(analyzer().configure(file)).rejects.toThrow(error);
  });

  it("stops the analysis on a config key no setting has, which the engine's validation lets through", async () => {
    await analyzer().configure({ "causeflow-aws-owned-accounts": { allowedAccount: ["123456789012"] } });
    const [tenant] = await runExampleAs("dynamic", "fleet", fleet, { config: committedFleet });
    await expect(analyzer().analyze(tenant)).rejects.toThrow(/policy causeflow-aws-owned-accounts: "allowedAccount" is not one of its settings; they are allowedAccounts, and enforcementLevel/);
  });
});

describe.each(FORMS)("%s tenants", (form: Form) => {
  beforeEach(() => analyzer().configure());

  it("pass every policy as the examples commit them, in their dev stacks: Analyze and AnalyzeStack find nothing", async () => {
    const registrations = [
      ...(await runExampleAs(form, "fleet", fleet, { config: committedFleet })),
      ...(await runExampleAs(form, "aws-iam-role", awsIamRole, { config: PRINCIPAL })),
    ];
    expect(registrations.filter((r) => r.type.endsWith(":Tenant")).map((r) => r.name)).toEqual(["acme-corp", "globex", "initech", "tenant"]);
    expect(await analyzer().preview(registrations)).toEqual({ analyze: [], analyzeStack: [] });
  });

  it("auto-remediation: refused in a stack not approved for it, quoting the API reference's caution; passes where the config approves the stack", async () => {
    const registrations = await runExampleAs(form, "aws-iam-role", awsIamRole, { config: { ...PRINCIPAL, autoRemediation: "true" } });
    const [violation] = (await analyzer().preview(registrations)).analyze;
    expect(summary([violation])).toEqual(["mandatory causeflow-auto-remediation tenant"]);
    expect(violation.message).toContain('CauseFlow tenant "umbrella" (urn:pulumi:dev::causeflow-aws-iam-role::');
    expect(violation.message).toContain(`settings.autoRemediation is true, but stack "dev" is not one where auto-remediation was approved (allowedStacks: []). The API reference warns: "${AUTO_REMEDIATION_CAUTION}"`);
    await analyzer().configure({ "causeflow-auto-remediation": { allowedStacks: ["dev"] } });
    expect(await analyzer().preview(registrations)).toEqual({ analyze: [], analyzeStack: [] });
  });

  it("auto-remediation not known at preview: an advisory where the stack is not approved, naming the tenant", async () => {
    const registrations = await runAs(
      form,
      () => {
        const approval = new Thing("approval");
        new causeflow.Tenant("acme", { name: "Acme", slug: "acme", ownerEmail: "owner@acme.com", settings: { autoRemediation: approval.value as pulumi.Output<boolean> } });
      },
      { preview: true },
    );
    const { analyze } = await analyzer().preview(registrations);
    expect(summary(analyze)).toEqual(["advisory causeflow-auto-remediation acme"]);
    expect(analyze[0].message).toBe(
      `can't run policy 'causeflow-auto-remediation' from policy pack '${PACK_NAME}@v${version}' during preview: CauseFlow tenant "acme" ` +
        `(${analyze[0].urn}): settings.autoRemediation is not known until the update runs, and stack "dev" is not one where auto-remediation was ` +
        "approved (allowedStacks: []). If autoRemediation turns out true, `pulumi up` fails this policy before the tenant is changed; give it a value known at preview, such as false.",
    );
  });

  it("production: in a production stack, each unprotected tenant is refused, and the protected one passes", async () => {
    const { analyze, analyzeStack } = await analyzer().preview(await runExampleAs(form, "fleet", fleet, { stack: "prod", config: committedFleet }));
    expect(summary(analyze)).toEqual(["mandatory causeflow-production-protected globex", "mandatory causeflow-production-protected initech"]);
    expect(analyze[0].message).toContain(`CauseFlow tenant "globex" (${analyze[0].urn}): the resource option protect is not set, and stack "prod" is a production stack`);
    // AnalyzeStack runs the stack policy only: what Analyze found is not said twice.
    expect(analyzeStack).toEqual([]);
  });

  it("slugs: a configured prefix flags the others, at the level the config gives", async () => {
    const registrations = await runExampleAs(form, "fleet", fleet, { config: committedFleet });
    await analyzer().configure({ "causeflow-slug-convention": { pattern: "^acme-" } });
    expect(summary((await analyzer().preview(registrations)).analyze)).toEqual(["advisory causeflow-slug-convention globex", "advisory causeflow-slug-convention initech"]);
    await analyzer().configure({ "causeflow-slug-convention": { pattern: "^acme-", enforcementLevel: "mandatory" } });
    const { analyze } = await analyzer().preview(registrations);
    expect(summary(analyze)).toEqual(["mandatory causeflow-slug-convention globex", "mandatory causeflow-slug-convention initech"]);
    expect(analyze[0].message).toContain('slug "globex" does not follow the organization\'s convention (pattern: "^acme-")');
  });

  it.each([
    ["plans: a plan off the configured list", { "causeflow-allowed-plans": { allowedPlans: ["starter", "pro"] } }, "mandatory causeflow-allowed-plans initech", 'plan "business" is not one the contract allows (allowedPlans: ["starter", "pro"])'],
    ["owners: an owner outside the configured domains", { "causeflow-owner-email-domains": { allowedDomains: ["acme.example", "initech.example"] } }, "mandatory causeflow-owner-email-domains globex", "ownerEmail is an address at globex.example, which is not one of the organization's domains"],
  ])("%s is refused", async (_, config, found, message) => {
    await analyzer().configure(config);
    const { analyze } = await analyzer().preview(await runExampleAs(form, "fleet", fleet, { config: committedFleet }));
    expect(summary(analyze)).toEqual([found]);
    expect(analyze[0].message).toContain(message);
  });

  it("AWS accounts: a role outside the team's accounts is refused; one inside passes; at preview, the role not known yet, an advisory", async () => {
    const registrations = await runExampleAs(form, "aws-iam-role", awsIamRole, { config: PRINCIPAL });
    await analyzer().configure({ "causeflow-aws-owned-accounts": { allowedAccounts: ["210987654321"] } });
    const { analyze } = await analyzer().preview(registrations);
    expect(summary(analyze)).toEqual(["mandatory causeflow-aws-owned-accounts tenant"]);
    expect(analyze[0].message).toContain("is a role in AWS account 123456789012, which is not one the team owns (allowedAccounts: [\"210987654321\"])");

    await analyzer().configure({ "causeflow-aws-owned-accounts": { allowedAccounts: ["123456789012"] } });
    expect((await analyzer().preview(registrations)).analyze).toEqual([]);
    const previewed = await runExampleAs(form, "aws-iam-role", awsIamRole, { config: PRINCIPAL, preview: true });
    const unknown = (await analyzer().preview(previewed)).analyze;
    expect(summary(unknown)).toEqual(["advisory causeflow-aws-owned-accounts tenant"]);
    expect(unknown[0].message).toContain("settings.awsRoleArn is not known until the update runs (a role this stack creates, say)");
  });

  it("AWS settings: a region without the role and the external ID is refused", async () => {
    const { analyze } = await analyzer().preview(await runAs(form, () => void new causeflow.Tenant("getting-started", regionOnly)));
    expect(summary(analyze)).toEqual(["mandatory causeflow-aws-settings-complete getting-started"]);
    expect(analyze[0].message).toContain("settings sets awsRegion but not awsRoleArn and awsExternalId");
  });

  it("unique slugs: AnalyzeStack refuses a second tenant with a slug the stack already has, which Analyze alone cannot see", async () => {
    const registrations = await runAs(form, () => {
      fleet();
      new causeflow.Tenant("globex-again", { name: "Globex", slug: "globex", ownerEmail: "it@globex.example" });
    }, { project: "causeflow-fleet", config: { "causeflow-fleet:fleetFile": committedFleet.fleetFile } });
    const { analyze, analyzeStack } = await analyzer().preview(registrations);
    expect(analyze).toEqual([]);
    expect(summary(analyzeStack).sort()).toEqual(["mandatory causeflow-unique-slugs globex", "mandatory causeflow-unique-slugs globex-again"]);
    const again = analyzeStack.find((d) => d.urn.endsWith("::globex-again"))!;
    expect(again.message).toContain(`slug "globex" is also the slug of ${analyzeStack.find((d) => d !== again)!.urn}.`);
  });

  it("never quotes the external ID, a secret, whatever it refuses", async () => {
    await analyzer().configure({
      all: "mandatory",
      "causeflow-slug-convention": { pattern: "^zz-" },
      "causeflow-allowed-plans": { allowedPlans: ["starter"] },
      "causeflow-aws-owned-accounts": { allowedAccounts: ["210987654321"] },
      "causeflow-owner-email-domains": { allowedDomains: ["acme.example"] },
    });
    const registrations = await runExampleAs(form, "aws-iam-role", awsIamRole, { stack: "prod", config: { ...PRINCIPAL, autoRemediation: "true" } });
    const tenant = registrations.find((r) => r.name === "tenant")!;
    expect(tenant.secretPaths).toEqual(["settings.awsExternalId"]);
    const { analyze } = await analyzer().preview(registrations);
    expect(analyze.map((d) => d.policyName).sort()).toEqual([
      "causeflow-allowed-plans",
      "causeflow-auto-remediation",
      "causeflow-aws-owned-accounts",
      "causeflow-owner-email-domains",
      "causeflow-production-protected",
      "causeflow-slug-convention",
    ]);
    expect(JSON.stringify(analyze)).not.toContain(EXTERNAL_ID);
  });

  it("a policy turned off, or down to advisory, by its enforcementLevel", async () => {
    const registrations = await runAs(form, () => void new causeflow.Tenant("getting-started", regionOnly));
    await analyzer().configure({ "causeflow-aws-settings-complete": "advisory" });
    expect(summary((await analyzer().preview(registrations)).analyze)).toEqual(["advisory causeflow-aws-settings-complete getting-started"]);
    await analyzer().configure({ "causeflow-aws-settings-complete": { enforcementLevel: "disabled" } });
    expect((await analyzer().preview(registrations)).analyze).toEqual([]);
    await analyzer().configure({ all: "disabled" });
    expect(await analyzer().preview(await runExampleAs(form, "fleet", fleet, { stack: "prod", config: committedFleet }))).toEqual({ analyze: [], analyzeStack: [] });
  });
});

it("sees one slug taken by both forms in one stack", async () => {
  await analyzer().configure();
  const acme = { name: "Acme", slug: "acme", ownerEmail: "owner@acme.com" };
  const dynamic = await runAs("dynamic", () => void new causeflow.Tenant("acme", acme));
  const plugin = await runAs("plugin", () => void new causeflow.Tenant("acme-migrated", acme));
  expect(summary(await analyzer().analyzeStack([...dynamic, ...plugin]))).toEqual(["mandatory causeflow-unique-slugs acme", "mandatory causeflow-unique-slugs acme-migrated"]);
});

describe("the pack's process", () => {
  itOnLinux("ends when the process that started it is killed", async () => {
    const { args, cwd, env } = analyzerCommand({ organization: "organization", project: "causeflow", stack: "dev", dryRun: true });
    const script =
      `const child = require("node:child_process").spawn(process.execPath, ${JSON.stringify(args)}, { cwd: ${JSON.stringify(cwd)}, env: ${JSON.stringify(env)}, stdio: ["ignore", "pipe", "inherit"] });` +
      'child.stdout.once("data", () => console.log("ready"));';
    const { child } = await startUntil(process.execPath, ["-e", script], /^ready/, { cwd: PACK_DIR });
    const tree = descendantsOf(child.pid!);
    try {
      expect(tree.map(commandOf)).toEqual(expect.arrayContaining([expect.stringMatching(/run-policy-pack/)]));
      child.kill("SIGKILL");
      expect(await survivorsAfter(tree, 5_000)).toEqual([]);
    } finally {
      killAll(tree);
    }
  });

  it("ends when the test closes it", async () => {
    const started = await Analyzer.start();
    await started.close();
    expect(await survivorsAfter([started.pid], 5_000)).toEqual([]);
  });
});
