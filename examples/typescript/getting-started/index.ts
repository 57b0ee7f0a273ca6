/**
 * The root program (Pulumi.yaml at the repository root): one tenant, against the local emulator
 * unless `causeflow:apiUrl` says otherwise.
 */
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";

const config = new pulumi.Config();

const tenant = new causeflow.Tenant("getting-started", {
  name: config.get("tenantName") ?? "Getting Started",
  slug: config.get("tenantSlug") ?? `getting-started-${pulumi.getStack()}`,
  ownerEmail: config.get("ownerEmail") ?? "owner@example.com",
  settings: { awsRegion: config.get("awsRegion") ?? "us-east-1" },
});

export const tenantId = tenant.tenantId;
export const slug = tenant.slug;
export const status = tenant.status;
