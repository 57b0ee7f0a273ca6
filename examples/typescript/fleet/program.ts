/**
 * The fleet's resources: every tenant of a fleet file as a causeflow.Tenant, named by its slug,
 * so adding an entry creates one tenant and editing one updates only it. Entries with `aws` also
 * get their own IAM role (CauseflowAwsRole) in the stack's AWS account.
 */
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { CauseflowAwsRole } from "@causeflow/pulumi/aws";
import { fleetResourceOptions, parseFleet } from "./fleet";

/** Declares the fleet of `fleetFile`; the stack outputs, tenant ids and role ARNs by slug. */
export function declareFleet(fleetFile: string) {
  const config = new pulumi.Config();
  const tenantIds: Record<string, pulumi.Output<string>> = {};
  const roleArns: Record<string, pulumi.Output<string>> = {};
  for (const entry of parseFleet(readFileSync(fleetFile, "utf8"), fleetFile)) {
    const { aws, production, ...tenantArgs } = entry; // the fleet's own fields are no tenant inputs
    const options = fleetResourceOptions(entry);
    const role =
      aws &&
      new CauseflowAwsRole(entry.slug, { causeflowPrincipalArn: config.require("causeflowPrincipalArn"), ...aws }, options);
    const tenant = new causeflow.Tenant(entry.slug, { ...tenantArgs, settings: role?.tenantSettings }, { ...options, dependsOn: role });
    tenantIds[entry.slug] = tenant.tenantId;
    if (role) roleArns[entry.slug] = role.roleArn;
  }
  return { tenantIds, roleArns };
}
