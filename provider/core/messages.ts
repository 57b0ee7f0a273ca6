/**
 * Every message the provider gives a user, as a function of data: what failed, for which tenant,
 * and what to do next. The decisions decide whether to speak, the operations when; the words are
 * here, each written once.
 */
import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  CauseFlowError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type TenantApiProbe,
} from "../client/errors";
import { AUTO_REMEDIATION_CAUTION, PLANS } from "./tenantRules";

export type Operation = "create" | "read" | "update";

/**
 * A tenant as messages name it: its slug (or id), quoted, and cut short when it is long, so that a
 * message stays one the engine can carry (a 100 KB slug made a gRPC answer too large to arrive).
 */
const named = (tenant: string) => JSON.stringify(tenant.length > 100 ? `${tenant.slice(0, 100)}…` : tenant);

/**
 * A failed call: what failed, for which tenant, what the API said, and what to do next (the
 * error's usual remedy, unless the caller knows a better one).
 */
export function failedCall(operation: Operation, tenant: string, error: unknown, advice?: string): string {
  const what = `Could not ${operation} CauseFlow tenant ${named(tenant)}`;
  if (!(error instanceof CauseFlowError)) return `${what}: ${error instanceof Error ? error.message : String(error)}`;
  return `${what}: ${error.message}. ${advice ?? remedy(operation, tenant, error)}`.trim();
}

function remedy(operation: Operation, tenant: string, error: CauseFlowError): string {
  if (error.retriesStopped) return "Run `pulumi up` again to carry on.";
  if (error instanceof AuthenticationError) {
    return (
      "The API token is missing, expired or invalid: set a valid one with " +
      "`pulumi config set --secret causeflow:apiToken <token>` or the CAUSEFLOW_API_TOKEN environment variable."
    );
  }
  if (error instanceof PermissionDeniedError) {
    if (error.request?.method === "GET") {
      return (
        "Reading a tenant needs the token of a user of that tenant (CauseFlow lets only its own users read it; " +
        "the admin role, which creates and updates tenants, is not enough): use such a user's token for `pulumi refresh`."
      );
    }
    return (
      "Creating and updating tenants needs the token of a CauseFlow user with the admin role; " +
      "member users and API keys (cflo_…) cannot manage tenants."
    );
  }
  if (error instanceof ConflictError) {
    return (
      `The slug ${named(tenant)} is already taken: slugs are unique across CauseFlow. Choose another slug, or, ` +
      `if that tenant is yours, set \`adoptExisting: true\` on the Tenant to bring it under management.`
    );
  }
  if (error instanceof NotFoundError && operation === "update") {
    return "The tenant no longer exists in CauseFlow: run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again.";
  }
  if (error instanceof BadRequestError) {
    const details = error.details ? ` Details: ${JSON.stringify(error.details)}.` : "";
    return `The API rejected the tenant's values; correct them in the program.${details}`;
  }
  if (error instanceof RateLimitError) {
    return "The API's rate limit held for the whole retry budget: run again later, or raise causeflow:maxAttempts and causeflow:retryTimeout.";
  }
  if (error instanceof InternalServerError || error instanceof APIConnectionError) {
    return "The API could not be reached or failed; check causeflow:apiUrl and try again later.";
  }
  return "";
}

/**
 * A call the API's refusal of this provider's token stopped, after it refused the token on an
 * earlier one: short, pointing at the error that says how to fix it, so that a fleet's run reads
 * as one error.
 */
export function tokenRefused(tenant: string): string {
  return (
    `The CauseFlow API refused this provider's token, first on tenant ${named(tenant)}, whose error says how to set a valid one; ` +
    "nothing more is sent with it."
  );
}

/** The tenant that holds a slug a create met taken, as CauseFlow lists and reads it. */
export interface SlugHolder {
  tenantId: string;
  name: string;
  plan: string;
  createdAt: string;
}

/**
 * A create that met its slug taken by `holder`: who holds it, why the provider does not take it
 * (the API cannot say which program or run created a tenant, and a tenant another stack manages
 * must not change hands), and the commands that record it when this stack's own interrupted run
 * created it. With the resource's URN (the plugin is told it) that is `pulumi import`, which works
 * whether or not the checkpoint still holds the pending create; a dynamic provider is not told its
 * URN, and `pulumi import` cannot make a dynamic resource, so there it is `adoptExisting`.
 */
export function slugTaken(slug: string, holder: SlugHolder, urn: string | undefined): string {
  const record =
    urn === undefined
      ? "set `adoptExisting: true` on this Tenant for one `pulumi up` (it takes the tenant only if it matches the program)"
      : `run \`${importCommand(urn, holder.tenantId)}\``;
  return (
    `The slug ${named(slug)} is already taken, by tenant ${holder.tenantId} (${named(holder.name)}, plan ${holder.plan}, created ${holder.createdAt}). ` +
    "The provider does not take a tenant by itself: the CauseFlow API cannot say which program or run created it, " +
    "and a tenant that another stack manages must not change hands. " +
    `If an interrupted \`pulumi up\` of this stack created it (the CLI then warns of pending operations), ${record}, ` +
    "then `pulumi refresh --yes --clear-pending-creates` and `pulumi up`. " +
    "If it is yours otherwise, set `adoptExisting: true` on the Tenant; if it is not, choose another slug."
  );
}

/**
 * `pulumi import` of the tenant under the resource's own URN: its type and name, and `--parent`
 * when the URN says it has one that is not the stack (whose URN only the user can read off).
 */
function importCommand(urn: string, tenantId: string): string {
  const [, qualifiedType = "", name = ""] = /^urn:pulumi:[^:]*::[^:]*::(.*)::([^]*)$/.exec(urn) ?? [];
  const types = qualifiedType.split("$");
  const type = types[types.length - 1];
  const parent = types.length > 1 ? ` --parent <parent's name>=<parent's URN, from \`pulumi stack --show-urns\`>` : "";
  return `pulumi import ${type} ${shellWord(name)} ${tenantId}${parent} --yes --protect=false --generate-code=false`;
}

/** A word as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A refresh that met a 404 it cannot trust: the tenant stays in the stack, and the user learns
 * which URL answered what, and what to check. `probe` is the tenant list's answer when the 404
 * itself was the API's `not_found`.
 */
export function untrustedNotFound(tenant: string, tenantId: string, error: NotFoundError, probe?: Extract<TenantApiProbe, { serves: false }>): string {
  const called = error.request ? `${error.request.method} ${error.request.url}` : `the read of ${tenantId}`;
  const verdict = probe?.definite ? "so this URL does not serve the CauseFlow tenant API" : "so it cannot be told whether this URL serves the CauseFlow tenant API";
  const why = probe
    ? `but ${probe.request.method} ${probe.request.url} (the tenant list) answered ${probe.answer}, ${verdict}`
    : "which is not the tenant API's own answer that a tenant does not exist (a JSON error body with the code not_found)";
  return (
    `Could not read CauseFlow tenant ${named(tenant)} (${tenantId}): ${called} answered ${error.message}, ${why}. ` +
    `The tenant stays in the stack. Check causeflow:apiUrl (or CAUSEFLOW_API_URL): it must be the API's base URL, ` +
    `such as https://api.causeflow.ai, without /v1; and check any proxy between this machine and CauseFlow.`
  );
}

/** A create that failed after the tenant came to exist: it is recorded, and the next `up` finishes. */
export function partiallyCreated(reason: string, tenantId: string): string {
  return `${reason} The tenant ${tenantId} exists and is recorded in the stack as CauseFlow reports it; the next \`pulumi up\` applies the remaining changes.`;
}

/** An update CauseFlow did not fully apply. */
export function partiallyUpdated(reason: string): string {
  return `${reason} The stack records the tenant as CauseFlow reports it.`;
}

/** CauseFlow answered a write with success but did not apply some fields. */
export function notApplied(operation: Operation, slug: string, fields: string[]): string {
  return (
    `Could not ${operation} CauseFlow tenant ${named(slug)}: CauseFlow answered success but did not apply ` +
    `${fields.join(", ")} (it reports another value or none). Run \`pulumi up\` again; if it persists, contact CauseFlow support.`
  );
}

/** getTenant by slug found nothing this token may read. */
export function noTenantWithSlug(slug: string, unreadable: number): string {
  const unseen = unreadable > 0 ? ` (${unreadable} could not be read: reads are for users of a tenant)` : "";
  return `no tenant this token can see and read holds slug ${named(slug)}${unseen}`;
}

/** After a POST whose answer was lost: what became of the tenant, and what to do. `failure` is the failed call's message. */
export const lostAnswer = {
  searchFailed(failure: string, slug: string, searchError: unknown): string {
    return (
      `${failure} An answer was lost, and looking for the tenant failed too (${searchError instanceof Error ? searchError.message : String(searchError)}), ` +
      `so a tenant may exist under slug ${named(slug)}. Run \`pulumi up\` again; if the slug is then reported taken by a tenant you ` +
      `recognise as this one, set \`adoptExisting: true\` to take it.`
    );
  },
  notProvablyOurs(failure: string, tenantId: string, doubts: string[]): string {
    return (
      `${failure} An answer was lost, and tenant ${tenantId} now holds the slug, but it is not provably the one ` +
      `this program created: ${doubts.join("; ")}. If it is yours, set \`adoptExisting: true\` to take it; otherwise choose another slug.`
    );
  },
  /** No tenant with the name and plan sent holds the slug; `conflict` when the last attempt met 409. */
  notFound(failure: string, sent: { name: string; plan: string }, conflict: boolean, unreadable: number): string {
    const unseen =
      unreadable > 0
        ? `${unreadable} tenant(s) with its name and plan could not be read by this token (reads are for users of a tenant), so it cannot tell whether one of them is it.`
        : "";
    const verdict = conflict
      ? `An earlier attempt's answer was lost, but no tenant named ${named(sent.name)} on plan ${named(sent.plan)} that this token can read holds the slug.`
      : unreadable > 0
        ? ""
        : "No tenant with its name and plan holds the slug afterwards: nothing was created.";
    return [failure, verdict, unseen].filter(Boolean).join(" ");
  },
};

/** Why the provider cannot take the tenant holding a slug for a program that set adoptExisting. */
export const adoption = {
  noReadableHolder(slug: string, unreadable: number): string {
    const unseen = unreadable > 0 ? ` (${unreadable} tenant(s) could not be read by this token: reads are for users of a tenant)` : "";
    return (
      `Could not adopt CauseFlow tenant ${named(slug)}: the slug is taken, but by no tenant this token ` +
      `can see and read${unseen}: another organization's, or one this token's user does not belong to; choose another slug.`
    );
  },
  refused(slug: string, reasons: string[]): string {
    return `Could not adopt CauseFlow tenant ${named(slug)}: ${reasons.join("; ")}.`;
  },
  planNotDeclarable(tenantId: string, slug: string, plan: string): string {
    return `tenant ${tenantId} with slug ${named(slug)} is on plan ${named(plan)}, which is not one a program can declare (${PLANS.join(", ")}), so it cannot be adopted`;
  },
  otherPlan(tenantId: string, slug: string, plan: string, declared: string): string {
    return (
      `tenant ${tenantId} with slug ${named(slug)} is on plan ${named(plan)} in CauseFlow, ` +
      `but the program says ${named(declared)}, and the API cannot change a plan: set plan to ${named(plan)} to adopt it`
    );
  },
};

/** Why the tenant holding the slug after a lost answer may not be the one this program created. Settings are named, never shown. */
export const provenanceDoubt = {
  name: (found: string, sent: string) => `its name is ${named(found)}, not ${named(sent)}`,
  plan: (found: string, sent: string) => `its plan is ${named(found)}, not ${named(sent)}`,
  setting: (key: string) => `its settings.${key} differs from the one sent`,
  unreadableCreationTime: (createdAt: string) => `its creation time ${named(createdAt)} cannot be read`,
  createdBefore: (createdAt: string, firstSentAtServerMs: number) =>
    `it was created at ${createdAt}, before this program's first POST left (${new Date(firstSentAtServerMs).toISOString()} on CauseFlow's clock)`,
};

/** Cautions a reviewer must see in a preview or an update. */
export const warnings = {
  /** The slug changes: the old tenant stays in CauseFlow, no longer managed. `next` undefined: not known yet. */
  replacement(slug: unknown, id: string, next: unknown): string {
    const to = next === undefined ? "a value known after apply" : JSON.stringify(next);
    return (
      `changing the slug of CauseFlow tenant ${JSON.stringify(slug)} (${id}) to ${to} replaces it: ` +
      `a new tenant is created, and the old one stays in CauseFlow, no longer managed by this stack, because the API cannot delete tenants.`
    );
  },
  /** autoRemediation goes on (`on`), or may (`settings` or `value` not known yet), with the API reference's caution. */
  autoRemediation(slug: unknown, change: "created-on" | "turns-on" | "settings-unknown" | "value-unknown"): string {
    const tenant = JSON.stringify(slug);
    const caution = `The API reference warns: "${AUTO_REMEDIATION_CAUTION}"`;
    switch (change) {
      case "created-on":
        return `CauseFlow tenant ${tenant} is created with autoRemediation on. ${caution}`;
      case "turns-on":
        return `autoRemediation turns on for CauseFlow tenant ${tenant}. ${caution}`;
      case "settings-unknown":
        return `autoRemediation may turn on for CauseFlow tenant ${tenant}: its settings are not known until the update runs. ${caution}`;
      case "value-unknown":
        return `autoRemediation may turn on for CauseFlow tenant ${tenant}: the value is not known until the update runs. ${caution}`;
    }
  },
  /** A tenant leaves the stack: it stays in CauseFlow, which cannot delete tenants. */
  removal(slug: unknown, id: string): string {
    return (
      `CauseFlow tenant ${JSON.stringify(slug)} (${id}) was removed from the Pulumi stack but still exists ` +
      `in CauseFlow: the API has no way to delete a tenant. Suspend or remove it from the CauseFlow dashboard if it is no longer needed.`
    );
  },
};
