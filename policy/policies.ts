/** Every policy of the pack, in the order a reader meets them; index.ts serves them. */
import type { Policies } from "@pulumi/policy";
import { completeSettings, ownedAccounts } from "./aws";
import { slugConvention, uniqueSlugs } from "./naming";
import { ownerDomains } from "./owners";
import { allowedPlans } from "./allowedPlans";
import { productionProtection } from "./protection";
import { autoRemediation } from "./remediation";

export const PACK_NAME = "causeflow-guardrails";

export const policies = [
  autoRemediation,
  productionProtection,
  slugConvention,
  uniqueSlugs,
  allowedPlans,
  ownedAccounts,
  completeSettings,
  ownerDomains,
] satisfies Policies;
