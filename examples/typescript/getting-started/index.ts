/**
 * The root program (Pulumi.yaml at the repository root): one tenant, against the local emulator
 * unless `causeflow:apiUrl` says otherwise. It passes the project's policy pack with its defaults.
 */
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";

const config = new pulumi.Config();

// The AWS integration comes whole or not at all: a role, the external ID its trust policy
// requires (a secret, so never in the program's text), and a region.
const awsRoleArn = config.get("awsRoleArn");
const settings = awsRoleArn
  ? { awsRoleArn, awsExternalId: config.requireSecret("awsExternalId"), awsRegion: config.get("awsRegion") ?? "us-east-1" }
  : undefined;

const tenant = new causeflow.Tenant("getting-started", {
  name: config.get("tenantName") ?? "Getting Started",
  slug: config.get("tenantSlug") ?? `getting-started-${pulumi.getStack()}`,
  ownerEmail: config.get("ownerEmail") ?? "owner@example.com",
  settings,
});

export const tenantId = tenant.tenantId;
export const slug = tenant.slug;
export const status = tenant.status;
