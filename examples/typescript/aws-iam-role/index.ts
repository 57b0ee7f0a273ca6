/**
 * One CauseFlow tenant linked to an IAM role in this stack's AWS account: run once per account.
 * Pulumi calls the exported function and makes what it returns the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { CauseflowAwsRole } from "@causeflow/pulumi/aws";

export = function main() {
  const config = new pulumi.Config();
  const role = new CauseflowAwsRole("causeflow", {
    causeflowPrincipalArn: config.require("causeflowPrincipalArn"),
    // CauseFlow's primary region is the one this stack's AWS provider works in.
    region: new pulumi.Config("aws").require("region"),
    autoRemediation: config.getBoolean("autoRemediation"),
  });
  const tenant = new causeflow.Tenant(
    "tenant",
    {
      name: config.require("tenantName"),
      slug: config.require("tenantSlug"),
      ownerEmail: config.require("ownerEmail"),
      plan: config.get<causeflow.Plan>("plan"),
      settings: role.tenantSettings,
    },
    { dependsOn: role },
  );
  return { tenantId: tenant.tenantId, roleArn: role.roleArn };
};
