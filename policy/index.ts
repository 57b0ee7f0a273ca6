/**
 * The pack that `pulumi preview --policy-pack <this folder>` and Pulumi Cloud's policy groups
 * run: Pulumi starts `@pulumi/pulumi/cmd/run-policy-pack` here, which loads this module, and
 * PolicyPack serves the policies to the engine over gRPC.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  displayName: "CauseFlow guardrails",
  description:
    "Rules for CauseFlow tenants that hold in every stack, whoever writes the program: auto-remediation only where approved, " +
    "production tenants protected, slugs by convention, plans and AWS accounts and owner domains from allow-lists.",
  policies,
});
