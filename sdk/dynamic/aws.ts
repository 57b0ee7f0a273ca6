/**
 * `@causeflow/pulumi/aws`: the IAM role CauseFlow assumes in a customer's AWS account, trusted by
 * CauseFlow's principal only, with the external ID CauseFlow passes, and the permissions CauseFlow
 * documents. A subpath of its own, never imported by the main entry, so that programs using only
 * `Tenant` need neither @pulumi/aws nor @pulumi/random (optional peer dependencies).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import type { TenantSettingsArgs } from "./tenant";

/** The read-only actions CauseFlow documents for investigating an account. */
export const readOnlyActions = [
  "cloudwatch:GetMetricData",
  "cloudwatch:GetMetricStatistics",
  "cloudwatch:DescribeAlarms",
  "logs:DescribeLogGroups",
  "logs:DescribeLogStreams",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "ec2:DescribeInstances",
  "ec2:DescribeSecurityGroups",
  "ecs:DescribeClusters",
  "ecs:DescribeServices",
  "ecs:DescribeTasks",
  "ecs:ListTasks",
  "lambda:ListFunctions",
  "lambda:GetFunction",
  "iam:GetRole",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "sts:GetCallerIdentity",
] as const;

/** The write actions CauseFlow documents for remediation; granted only with `autoRemediation`. */
export const remediationActions = [
  "ecs:UpdateService",
  "ecs:RegisterTaskDefinition",
  "ssm:SendCommand",
  "lambda:UpdateFunctionConfiguration",
] as const;

/**
 * How the external ID is generated: letters and digits only, a subset of what AWS allows in an
 * external ID (`[\w+=,.@:/-]`), so it also survives being pasted into a shell or a form.
 */
export const externalIdArgs: random.RandomPasswordArgs = { length: 32, special: false };

/** An IAM principal ARN: an account's root, a role or a user, in any partition. Never a wildcard. */
const PRINCIPAL_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]+)$/;

/** Returns the ARN if it names one IAM principal; otherwise throws, saying what is expected. */
export function checkPrincipalArn(arn: string): string {
  if (!PRINCIPAL_ARN_PATTERN.test(arn)) {
    throw new Error(
      `causeflowPrincipalArn ${JSON.stringify(arn)} is not the ARN of one IAM principal ` +
        "(such as arn:aws:iam::123456789012:root). Copy CauseFlow's principal from the CauseFlow dashboard.",
    );
  }
  return arn;
}

/** Lets exactly CauseFlow's principal assume the role, and only when it passes the external ID. */
export function trustPolicy(causeflowPrincipalArn: string, externalId: pulumi.Input<string>): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: causeflowPrincipalArn },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": externalId } },
      },
    ],
  };
}

/** Allows `actions` on every resource: the documented actions are account-wide reads and CauseFlow's remediations. */
export function allowPolicy(actions: readonly string[]): aws.iam.PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...actions], Resource: "*" }] };
}

export interface CauseflowAwsRoleArgs {
  /**
   * CauseFlow's AWS principal, as the CauseFlow dashboard shows it. It differs between CauseFlow
   * deployments, so there is no default. Only this principal may assume the role.
   */
  causeflowPrincipalArn: string;
  /** CauseFlow's primary AWS region for this account, such as `us-east-1`; passed on to the tenant. */
  region: pulumi.Input<string>;
  /**
   * Also attach the remediation policy (`remediationActions`), which lets CauseFlow change
   * services and functions. `tenantSettings` passes the same value to the tenant.
   * @default false
   */
  autoRemediation?: boolean;
}

/**
 * An IAM role for CauseFlow with a generated external ID, the read-only policy, and the
 * remediation policy when `autoRemediation` is on. Give the tenant `settings: role.tenantSettings`
 * and `{ dependsOn: role }`, so CauseFlow learns of the role only once its policies exist.
 */
export class CauseflowAwsRole extends pulumi.ComponentResource {
  /** The role CauseFlow assumes. */
  readonly role: aws.iam.Role;
  readonly roleArn: pulumi.Output<string>;
  /**
   * The external ID the trust policy requires. Generated once and kept in state, so it stays
   * the same across runs. Secret: CauseFlow's docs ask that it not be shared.
   */
  readonly externalId: pulumi.Output<string>;
  /** The settings that link a tenant to this role. */
  readonly tenantSettings: TenantSettingsArgs;

  constructor(name: string, args: CauseflowAwsRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("causeflow:aws:CauseflowAwsRole", name, {}, opts);
    const principalArn = checkPrincipalArn(args.causeflowPrincipalArn);
    const autoRemediation = args.autoRemediation ?? false;
    // RandomPassword's result is secret in state; pulumi.secret keeps it secret in every value built from it.
    this.externalId = pulumi.secret(new random.RandomPassword(`${name}-external-id`, externalIdArgs, { parent: this }).result);
    this.role = new aws.iam.Role(
      `${name}-role`,
      { description: "Assumed by CauseFlow to investigate incidents", assumeRolePolicy: trustPolicy(principalArn, this.externalId) },
      { parent: this },
    );
    this.roleArn = this.role.arn;
    new aws.iam.RolePolicy(`${name}-read-only`, { role: this.role.id, policy: allowPolicy(readOnlyActions) }, { parent: this });
    if (autoRemediation) {
      new aws.iam.RolePolicy(`${name}-remediation`, { role: this.role.id, policy: allowPolicy(remediationActions) }, { parent: this });
    }
    this.tenantSettings = { awsRoleArn: this.roleArn, awsExternalId: this.externalId, awsRegion: args.region, autoRemediation };
    this.registerOutputs({ roleArn: this.roleArn, externalId: this.externalId });
  }
}
