/**
 * The fleet example under the pack, run as `pulumi preview --policy-pack` runs it: its committed
 * tenants pass, with no config and with the pack's example config; a deliberately non-compliant
 * fleet file fails with exactly the violations expected, in both resource forms.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import fleet = require("../../../examples/typescript/fleet/index");
import { exampleFile } from "../../support/examples";
import { analyzerForThisFile, PACK_DIR, summary } from "../../support/analyzer";
import { FORMS, runExampleAs, type Form } from "../../support/policyPrograms";

jest.mock("@causeflow/pulumi", () => require("../../support/policyPrograms").sdkInEitherForm());

const exampleConfig = JSON.parse(readFileSync(path.join(PACK_DIR, "policy-config.example.json"), "utf8")) as Record<string, unknown>;
const scratch = mkdtempSync(path.join(tmpdir(), "cf-policy-fleet-"));
const nonCompliant = path.join(scratch, "tenants.yaml");
writeFileSync(
  nonCompliant,
  stringify({
    tenants: [
      { slug: "acme-corp", name: "Acme Corp", ownerEmail: "owner@acme.example", plan: "pro", production: true },
      // Not protected, in a production stack.
      { slug: "globex", name: "Globex", ownerEmail: "it@globex.example" },
      // A slug the API takes, off the convention.
      { slug: "initech-", name: "Initech", ownerEmail: "ops@initech.example", plan: "business", production: true },
      // Auto-remediation in a stack not approved for it; a plan and an owner the example config does not allow.
      { slug: "hooli", name: "Hooli", ownerEmail: "gavin@hooli.example", plan: "enterprise", production: true, aws: { region: "us-east-1", autoRemediation: true } },
    ],
  }),
);

const analyzer = analyzerForThisFile();

/** What a preview of the fleet in `fleetFile` finds, Analyze and AnalyzeStack together. */
async function preview(form: Form, fleetFile: string, stack: string): Promise<string[]> {
  const registrations = await runExampleAs(form, "fleet", fleet, { stack, config: { fleetFile, causeflowPrincipalArn: "arn:aws:iam::210987654321:root" } });
  const { analyze, analyzeStack } = await analyzer().preview(registrations);
  return summary([...analyze, ...analyzeStack]).sort();
}

describe.each(FORMS)("the fleet of %s tenants", (form) => {
  it("passes as committed, in its dev stack, with no config and with the pack's example config", async () => {
    await analyzer().configure();
    expect(await preview(form, exampleFile("fleet", "tenants.yaml"), "dev")).toEqual([]);
    await analyzer().configure(exampleConfig);
    expect(await preview(form, exampleFile("fleet", "tenants.yaml"), "dev")).toEqual([]);
  });

  it("fails, non-compliant in a production stack, with the violations the defaults expect", async () => {
    await analyzer().configure();
    expect(await preview(form, nonCompliant, "prod")).toEqual([
      "advisory causeflow-slug-convention initech-",
      "mandatory causeflow-auto-remediation hooli",
      "mandatory causeflow-production-protected globex",
    ]);
  });

  it("fails with more under the example config: the convention made mandatory, and its plans and domains", async () => {
    await analyzer().configure(exampleConfig);
    expect(await preview(form, nonCompliant, "prod")).toEqual([
      "mandatory causeflow-allowed-plans hooli",
      "mandatory causeflow-auto-remediation hooli",
      "mandatory causeflow-owner-email-domains hooli",
      "mandatory causeflow-production-protected globex",
      "mandatory causeflow-slug-convention initech-",
    ]);
  });
});
