import { UNKNOWN_VALUE } from "@causeflow/pulumi/rules";
import { AWS_SETTINGS, checkCompleteSettings, checkOwnedAccounts, ownedAccounts } from "../../../policy/aws";
import { ACME, FULL_SETTINGS, ROLE, tenant } from "../../support/policyTenants";

const withSettings = (settings: unknown) => tenant({ ...ACME, settings });

describe("roles in the team's accounts", () => {
  const owned = { allowedAccounts: ["210987654321", "111122223333"] };

  it("refuses a role in another account, naming the ARN, its account, the list and the fix", () => {
    expect(checkOwnedAccounts(withSettings(FULL_SETTINGS), owned)).toEqual([
      {
        property: "settings.awsRoleArn",
        known: true,
        message:
          `settings.awsRoleArn "${ROLE}" is a role in AWS account 123456789012, which is not one the team owns ` +
          '(allowedAccounts: ["210987654321", "111122223333"]): CauseFlow would investigate, and remediate, in that account. Use a role ' +
          "in one of the team's accounts, or add the account to allowedAccounts once the team owns it.",
      },
    ]);
  });

  it("accepts a role in a listed account, in any partition and with a path", () => {
    expect(checkOwnedAccounts(withSettings({ ...FULL_SETTINGS, awsRoleArn: "arn:aws-us-gov:iam::111122223333:role/team/CauseFlow" }), owned)).toEqual([]);
  });

  it("refuses a value that is no role ARN, whose account cannot be the team's", () => {
    expect(checkOwnedAccounts(withSettings({ awsRoleArn: "arn:aws:iam::210987654321:user/CauseFlow" }), owned)).toEqual([
      expect.objectContaining({ property: "settings.awsRoleArn", message: expect.stringMatching(/^settings.awsRoleArn is not an IAM role ARN/) }),
    ]);
  });

  it("accepts any account when none is configured, the default, and a tenant without a role", () => {
    expect(ownedAccounts.configSchema.properties.allowedAccounts).toMatchObject({ default: [] });
    expect(checkOwnedAccounts(withSettings(FULL_SETTINGS), { allowedAccounts: [] })).toEqual([]);
    expect(checkOwnedAccounts(withSettings({ awsRegion: "us-east-1" }), owned)).toEqual([]);
    expect(checkOwnedAccounts(tenant(ACME), owned)).toEqual([]);
  });

  it("says so of a role not known yet (one the stack creates), when accounts are configured", () => {
    expect(checkOwnedAccounts(withSettings({ ...FULL_SETTINGS, awsRoleArn: UNKNOWN_VALUE }), owned)).toEqual([
      {
        property: "settings.awsRoleArn",
        known: false,
        message:
          "settings.awsRoleArn is not known until the update runs (a role this stack creates, say), so the role's account cannot be checked " +
          'against allowedAccounts: ["210987654321", "111122223333"] yet; `pulumi up` checks it before the tenant is created or changed.',
      },
    ]);
    expect(checkOwnedAccounts(withSettings(UNKNOWN_VALUE), owned)).toEqual([expect.objectContaining({ property: "settings", known: false })]);
    expect(checkOwnedAccounts(withSettings(UNKNOWN_VALUE), { allowedAccounts: [] })).toEqual([]);
  });
});

describe("AWS settings together", () => {
  it("are the role, the external ID and the region", () => {
    expect(AWS_SETTINGS).toEqual(["awsRoleArn", "awsExternalId", "awsRegion"]);
  });

  it("refuses some AWS settings without the others, naming what is missing and the two ways out", () => {
    expect(checkCompleteSettings(withSettings({ awsRegion: "us-east-1", autoRemediation: false }))).toEqual([
      {
        property: "settings.awsRoleArn and settings.awsExternalId",
        known: true,
        message:
          "settings sets awsRegion but not awsRoleArn and awsExternalId (required together: awsRoleArn, awsExternalId, awsRegion): CauseFlow " +
          "reaches the customer's AWS account only with the role, the external ID its trust policy requires, and the region. Set " +
          "settings.awsRoleArn and settings.awsExternalId, or remove settings.awsRegion.",
      },
    ]);
    expect(checkCompleteSettings(withSettings({ awsRoleArn: ROLE, awsRegion: "us-east-1" }))).toEqual([expect.objectContaining({ property: "settings.awsExternalId" })]);
  });

  it("accepts all three, or none (autoRemediation alone is no AWS setting)", () => {
    expect(checkCompleteSettings(withSettings(FULL_SETTINGS))).toEqual([]);
    expect(checkCompleteSettings(withSettings({ autoRemediation: false }))).toEqual([]);
    expect(checkCompleteSettings(tenant(ACME))).toEqual([]);
  });

  it("counts a setting not known yet as set, and says so of settings not known as a whole", () => {
    expect(checkCompleteSettings(withSettings({ ...FULL_SETTINGS, awsRoleArn: UNKNOWN_VALUE, awsExternalId: UNKNOWN_VALUE }))).toEqual([]);
    expect(checkCompleteSettings(withSettings(UNKNOWN_VALUE))).toEqual([expect.objectContaining({ property: "settings", known: false })]);
  });
});
