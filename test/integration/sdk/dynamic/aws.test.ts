import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { EXTERNAL_ID_PATTERN } from "@causeflow/pulumi/rules";
import { allowPolicy, checkPrincipalArn, externalIdArgs, readOnlyActions, remediationActions, trustPolicy } from "@causeflow/pulumi/aws";
import { REPO_ROOT } from "../../../support/repo";
import { packagesImportedBy } from "../../../support/examples";
import { FIXTURES } from "../../../support/repo";

const PRINCIPAL = "arn:aws:iam::210987654321:root";
const CONTRACT_EXCERPT = path.join(FIXTURES, "contract-aws.md");
const CONTRACT = path.join(REPO_ROOT, "..", "shared", "api", "CONTRACT.md");
const oneLine = (text: string) => text.replace(/\s+/g, " ");

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

// CI has the contract beside the repository; a newcomer's clone may not.
(existsSync(CONTRACT) ? it : it.skip)("checks against a copy that is still CONTRACT.md's text", () => {
  const excerpt = readFileSync(CONTRACT_EXCERPT, "utf8").replace(/^<!--.*-->\n/, "");
  expect(oneLine(readFileSync(CONTRACT, "utf8"))).toContain(oneLine(excerpt).trim());
});

describe("@causeflow/pulumi/aws", () => {
  /** The files of @pulumi/aws and @pulumi/random that loading `entry` in a fresh Node loads. */
  const awsFilesLoadedBy = (entry: string) =>
    execFileSync(process.execPath, ["-e", `require(${JSON.stringify(entry)}); console.log(Object.keys(require.cache).filter((f) => /[\\/]@pulumi[\\/](aws|random)[\\/]/.test(f)).length)`], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    }).trim();

  it("is a subpath of its own: the main entry loads neither @pulumi/aws nor @pulumi/random, so Tenant needs neither", () => {
    expect(awsFilesLoadedBy("@causeflow/pulumi")).toBe("0");
    expect(awsFilesLoadedBy("@causeflow/pulumi/aws")).not.toBe("0");
  });

  it("declares the packages it imports, @pulumi/pulumi aside, as optional peer dependencies", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    const peers = packagesImportedBy([path.join(REPO_ROOT, "sdk", "dynamic", "aws.ts")]).filter((name) => name !== "@pulumi/pulumi");
    expect(peers).toEqual(["@pulumi/aws", "@pulumi/random"]);
    for (const name of peers) {
      expect([name, pkg.peerDependencies[name], pkg.peerDependenciesMeta[name]]).toEqual([name, expect.any(String), { optional: true }]);
    }
  });
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
