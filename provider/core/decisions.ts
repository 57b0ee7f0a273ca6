/**
 * The provider's decisions as functions of data: what `check` accepts and normalizes, what a
 * diff means, which fields a PATCH carries, and which outputs a response becomes. No I/O here.
 */
import type { z } from "zod";
import type { CreateTenantBody, UpdateTenantBody } from "../client/client";
import {
  DEFAULT_PLAN,
  EMAIL_PATTERN,
  EXTERNAL_ID_PATTERN,
  hasNoControlCharacter,
  hasVisibleCharacter,
  PLANS,
  type Props,
  REGION_PATTERN,
  REPLACING_INPUTS,
  ROLE_ARN_PATTERN,
  SETTING_KEYS,
  SLUG_PATTERN,
  UNKNOWN_VALUE,
} from "./tenantRules";
import { adoption, provenanceDoubt, warnings } from "./messages";
import type { ApiTenant, TenantInputs, TenantOutputs, TenantSettings } from "./tenantSchema";

export interface CheckFailure {
  property: string;
  reason: string;
}

const INPUT_KEYS = ["name", "slug", "ownerEmail", "plan", "settings", "adoptExisting"] as const;
/** Inputs the engine or this package add; not the user's to set, never validated. */
const RESERVED_KEYS = new Set(["__provider"]);

/**
 * Validates and normalizes a program's inputs. Unknown values (preview) pass. Valid inputs, the
 * common case, are recognised by `plainlyValid` without the zod schema, which is loaded only to
 * word the failures of inputs that are not (`viaSchema` forces it, for the test that proves both
 * paths answer alike).
 */
export function checkTenant(olds: Props, news: Props, options: { viaSchema?: boolean } = {}): { inputs: Props; failures: CheckFailure[] } {
  const inputs = normalizeInputs(news);
  const schemaFailures = !options.viaSchema && plainlyValid(inputs, olds) ? [] : schemaValidationFailures(inputs, olds);
  const failures = [...unknownInputFailures(news), ...schemaFailures, ...immutabilityFailures(olds, inputs)];
  return { inputs, failures };
}

/** Each rule of tenantInputsSchema, on a value that is not unknown; the schema words the failures. */
const VALID_INPUT: Record<(typeof INPUT_KEYS)[number], (value: unknown) => boolean> = {
  name: (value) => typeof value === "string" && hasNoControlCharacter(value) && hasVisibleCharacter(value),
  slug: (value) => typeof value === "string" && SLUG_PATTERN.test(value),
  ownerEmail: (value) => typeof value === "string" && EMAIL_PATTERN.test(value),
  plan: (value) => (PLANS as readonly unknown[]).includes(value),
  settings: (value) => isPlainObject(value) && Object.entries(value).every(([key, setting]) => setting === UNKNOWN_VALUE || validSetting(key, setting)),
  adoptExisting: (value) => typeof value === "boolean",
};

function validSetting(key: string, value: unknown): boolean {
  if (key === "autoRemediation") return typeof value === "boolean";
  const pattern = { awsRoleArn: ROLE_ARN_PATTERN, awsExternalId: EXTERNAL_ID_PATTERN, awsRegion: REGION_PATTERN }[key];
  return pattern !== undefined && typeof value === "string" && pattern.test(value);
}

/** True when the normalized inputs certainly pass tenantInputsSchema (as check reads it): decided without zod. */
function plainlyValid(inputs: Props, olds: Props): boolean {
  for (const key of ["name", "slug", "ownerEmail"] as const) if (!Object.prototype.hasOwnProperty.call(inputs, key)) return false;
  return INPUT_KEYS.every((key) => {
    if (!Object.prototype.hasOwnProperty.call(inputs, key)) return true;
    const value = inputs[key];
    if (value === UNKNOWN_VALUE) return true;
    return VALID_INPUT[key](value) || (key === "plan" && acceptsPlanAsIs(inputs, olds));
  });
}

/**
 * A canonical form, so an unchanged program never shows a diff: the default plan filled in,
 * settings without null or undefined keys, no empty settings object, and a fixed key order.
 */
export function normalizeInputs(news: Props): Props {
  const inputs: Props = {};
  for (const key of INPUT_KEYS) {
    const value = own(news, key);
    if (key === "plan" && (value === undefined || value === null)) inputs.plan = DEFAULT_PLAN;
    else if (key === "settings") {
      const settings = normalizeSettings(value);
      if (settings !== undefined) inputs.settings = settings;
    } else if (value !== undefined && value !== null) inputs[key] = value;
  }
  return inputs;
}

function normalizeSettings(value: unknown): unknown {
  if (!isPlainObject(value)) return value ?? undefined;
  const settings: Props = {};
  for (const key of SETTING_KEYS) {
    const setting = own(value, key);
    if (setting !== undefined && setting !== null) settings[key] = setting;
  }
  // Keys we do not know are kept so that validation can name them; defined, not assigned, so
  // that a key named __proto__ stays a key and never becomes the object's prototype.
  for (const key of Object.keys(value)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      Object.defineProperty(settings, key, { value: value[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return Object.keys(settings).length === 0 ? undefined : settings;
}

/**
 * A plan label beyond the documented four (CauseFlow has shown `community`) is accepted when it is
 * the plan the tenant already has, as a refresh records it: the program can then match it.
 */
function acceptsPlanAsIs(inputs: Props, olds: Props): boolean {
  const plan = own(inputs, "plan");
  return typeof plan === "string" && plan !== "" && plan === own(olds, "plan");
}

function unknownInputFailures(news: Props): CheckFailure[] {
  return Object.keys(news)
    .filter((key) => !RESERVED_KEYS.has(key) && !(INPUT_KEYS as readonly string[]).includes(key))
    .map((key) => ({ property: propertyPath([key]), reason: `is not an input of causeflow.Tenant; the inputs are ${INPUT_KEYS.join(", ")}` }));
}

function schemaValidationFailures(inputs: Props, olds: Props): CheckFailure[] {
  // Loaded here, not at the top: a preview of valid inputs never needs it.
  const { tenantInputsSchema } = require("./tenantSchema") as typeof import("./tenantSchema");
  const failures: CheckFailure[] = [];
  const result = tenantInputsSchema.safeParse(inputs);
  if (result.success) return failures;
  for (const issue of result.error.issues) {
    for (const path of issuePaths(issue)) {
      if (isUnknownAlong(inputs, path)) continue;
      if (path.length === 1 && path[0] === "plan" && acceptsPlanAsIs(inputs, olds)) continue;
      failures.push({ property: propertyPath(path), reason: reasonFor(issue, inputs, path) });
    }
  }
  return failures;
}

function issuePaths(issue: z.core.$ZodIssue): PropertyKey[][] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => [...path, key]);
  return [path];
}

function reasonFor(issue: z.core.$ZodIssue, inputs: Props, path: PropertyKey[]): string {
  // Only settings can hold unknown keys here: normalizeInputs keeps known top-level keys alone,
  // and validationFailures names the others.
  if (issue.code === "unrecognized_keys") return `is not a known setting; the settings are ${SETTING_KEYS.join(", ")}`;
  const value = valueAt(inputs, path);
  if (issue.code === "invalid_type") {
    if (value === undefined) return `is required: set ${propertyPath(path)} on the tenant`;
    return `must be ${article(issue.expected)}, got ${describeType(value)}`;
  }
  return issue.message;
}

/** Refuses what the API cannot do: owner email and plan never change, and a replacement would collide on the slug. */
function immutabilityFailures(olds: Props, inputs: Props): CheckFailure[] {
  const slug = own(olds, "slug");
  if (typeof slug !== "string" || slug === UNKNOWN_VALUE || own(inputs, "slug") !== slug) return [];
  const failures: CheckFailure[] = [];
  for (const key of ["ownerEmail", "plan"] as const) {
    const before = own(olds, key) ?? (key === "plan" ? DEFAULT_PLAN : undefined);
    const after = own(inputs, key);
    if (before === undefined || after === UNKNOWN_VALUE || before === after) continue;
    if (key === "ownerEmail" && sameEmailAddress(before, after)) continue;
    failures.push({
      property: key,
      reason:
        `cannot change from ${JSON.stringify(before)} to ${JSON.stringify(after)}: the CauseFlow API cannot change ` +
        `a tenant's ${key === "plan" ? "plan" : "owner email"}, and replacing the tenant would collide on slug ` +
        `${JSON.stringify(slug)} because the old tenant cannot be deleted. Keep ${JSON.stringify(before)}` +
        (key === "plan"
          ? `, or change the plan in CauseFlow and run \`pulumi refresh\`.`
          : `, or give the tenant a new slug to create a new tenant owned by ${JSON.stringify(after)}.`),
    });
  }
  return failures;
}

/** Email addresses are the same when only the case of their domain differs (domains ignore case; the local part need not). */
export function sameEmailAddress(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return a === b;
  const split = (address: string) => {
    const at = address.lastIndexOf("@");
    return at < 0 ? address : `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
  };
  return split(a) === split(b);
}

export interface TenantChanges {
  /** Properties whose change replaces the tenant. */
  replaces: string[];
  /** Properties (settings as `settings.<key>`) that a PATCH updates in place. */
  updates: string[];
}

/** What changes between the stored outputs and the new inputs. An unknown value counts as changed. */
export function diffTenant(olds: object, news: object): TenantChanges {
  const replaces: string[] = REPLACING_INPUTS.filter((key) => own(olds, key) !== own(news, key));
  const updates: string[] = [];
  if (own(olds, "name") !== own(news, "name")) updates.push("name");
  const oldSettings = own(olds, "settings");
  const newSettings = own(news, "settings");
  if (newSettings === UNKNOWN_VALUE) updates.push("settings");
  else {
    for (const key of SETTING_KEYS) {
      if (own(oldSettings, key) !== own(newSettings, key)) updates.push(`settings.${key}`);
    }
  }
  return { replaces, updates };
}

export type PropertyChange = "ADD" | "UPDATE" | "DELETE" | "UPDATE_REPLACE";

/**
 * The diff per property path, as `pulumi preview --diff` shows a plugin's: `settings.awsRegion`
 * added, changed or removed, `slug` replacing. The same decision as `diffTenant`, in detail.
 */
export function detailedDiff(olds: object, news: object): Record<string, PropertyChange> {
  const { replaces, updates } = diffTenant(olds, news);
  const detail: Record<string, PropertyChange> = {};
  for (const path of replaces) detail[path] = "UPDATE_REPLACE";
  for (const path of updates) {
    const [top, key] = path.split(".");
    const before = key === undefined ? own(olds, top) : own(own(olds, top), key);
    const after = key === undefined ? own(news, top) : own(own(news, top), key);
    detail[path] = before === undefined ? "ADD" : after === undefined ? "DELETE" : "UPDATE";
  }
  return detail;
}

/**
 * What a preview shows as a create's or an update's result, with no request: the inputs, and the
 * values only CauseFlow can give (unknown for a new tenant, as they were for an existing one).
 */
export function previewOutputs(inputs: Props, olds?: Props): Props {
  const computed = Object.fromEntries((["tenantId", "status", "createdAt"] as const).map((key) => [key, own(olds, key) ?? UNKNOWN_VALUE]));
  const { adoptExisting: _notAnOutput, ...declared } = inputs;
  return { ...declared, ...computed };
}

/** The PATCH body for an update: only what changed; a setting dropped from the program is sent as null. */
export function planPatch(olds: object, news: TenantInputs): UpdateTenantBody {
  const body: UpdateTenantBody = {};
  const settings: NonNullable<UpdateTenantBody["settings"]> = {};
  for (const path of diffTenant(olds, news).updates) {
    if (path === "name") body.name = news.name;
    else {
      const key = path.slice("settings.".length) as keyof TenantSettings;
      (settings as Props)[key] = news.settings?.[key] ?? null;
    }
  }
  if (Object.keys(settings).length > 0) body.settings = settings;
  return body;
}

/**
 * The POST body. `autoRemediation` is not accepted by POST: create then PATCHes whatever the
 * tenant still lacks (`planPatch` against the tenant as created), which is where it goes.
 */
export function planCreate(inputs: TenantInputs): CreateTenantBody {
  const { autoRemediation: _sentLater, ...awsSettings } = inputs.settings ?? {};
  return {
    name: inputs.name,
    slug: inputs.slug,
    ownerEmail: inputs.ownerEmail,
    plan: inputs.plan,
    ...(Object.keys(awsSettings).length > 0 ? { settings: awsSettings } : {}),
  };
}

/**
 * The fields of the intended tenant that CauseFlow's tenant does not carry, by name only (an
 * external ID is a secret). Used to verify a write, and to recognise our own tenant after a POST
 * whose answer was lost. `plan` is compared only when given; settings only where intended.
 */
export function unappliedFields(
  intended: { name: string; plan?: string; settings?: TenantSettings },
  actual: ApiTenant,
): string[] {
  const fields: string[] = [];
  if (actual.name !== intended.name) fields.push("name");
  if (intended.plan !== undefined && actual.plan !== intended.plan) fields.push("plan");
  for (const key of SETTING_KEYS) {
    const wanted = intended.settings?.[key];
    if (wanted !== undefined && own(actual.settings, key) !== wanted) fields.push(`settings.${key}`);
  }
  return fields;
}

/**
 * How far before our first POST left (on CauseFlow's clock) a tenant may have been created and
 * still be the one that POST made: the Date header that sets the two clocks side by side counts
 * whole seconds, and CauseFlow may stamp a tenant a moment before or after it stores it.
 */
export const CREATION_TIME_ALLOWANCE_MS = 10_000;

/**
 * Why the tenant found holding the slug, after a POST whose answer was lost, may not be the one
 * that POST created; empty when it provably is. Everything the POST sent that the API returns
 * must agree (name, plan, and each setting sent that CauseFlow reports; it has been seen to drop
 * settings, which the write's verification then repairs), and the tenant must have been created
 * after the first POST left. Settings are named, never shown: the external ID is a secret.
 */
export function provenanceDoubts(sent: CreateTenantBody, found: ApiTenant, firstSentAtServerMs: number): string[] {
  const doubts: string[] = [];
  if (found.name !== sent.name) doubts.push(provenanceDoubt.name(found.name, sent.name));
  if (found.plan !== (sent.plan ?? DEFAULT_PLAN)) doubts.push(provenanceDoubt.plan(found.plan, sent.plan ?? DEFAULT_PLAN));
  for (const [key, value] of Object.entries(sent.settings ?? {})) {
    const reported = own(found.settings, key);
    if (reported !== undefined && reported !== null && reported !== value) doubts.push(provenanceDoubt.setting(key));
  }
  const createdAt = Date.parse(found.createdAt);
  if (!Number.isFinite(createdAt)) doubts.push(provenanceDoubt.unreadableCreationTime(found.createdAt));
  else if (createdAt < firstSentAtServerMs - CREATION_TIME_ALLOWANCE_MS) doubts.push(provenanceDoubt.createdBefore(found.createdAt, firstSentAtServerMs));
  return doubts;
}

/** Why an existing tenant cannot be adopted for these inputs; empty when it can. */
export function adoptionConflicts(existing: ApiTenant, inputs: TenantInputs): string[] {
  if (existing.plan === inputs.plan) return [];
  if (!(PLANS as readonly string[]).includes(existing.plan)) return [adoption.planNotDeclarable(existing.tenantId, existing.slug, existing.plan)];
  return [adoption.otherPlan(existing.tenantId, existing.slug, existing.plan, inputs.plan)];
}

/** Cautions a reviewer must see in a preview, decided from data; the provider prints them. */
export const previewWarnings = {
  /** When the slug changes: the old tenant stays in CauseFlow, no longer managed. */
  replacement(id: string, olds: Props, news: Props): string | undefined {
    if (own(olds, "slug") === own(news, "slug")) return undefined;
    const next = own(news, "slug");
    return warnings.replacement(own(olds, "slug"), id, next === UNKNOWN_VALUE ? undefined : next);
  },
  /** When autoRemediation goes on, or may (its value, or the whole settings, not known yet): the caution from the API reference. */
  autoRemediation(olds: Props, news: Props): string | undefined {
    const settings = own(news, "settings");
    const value = settings === UNKNOWN_VALUE ? UNKNOWN_VALUE : own(settings, "autoRemediation");
    if (value !== true && value !== UNKNOWN_VALUE) return undefined;
    if (own(own(olds, "settings"), "autoRemediation") === true) return undefined;
    const slug = own(news, "slug");
    if (value === UNKNOWN_VALUE) return warnings.autoRemediation(slug, settings === UNKNOWN_VALUE ? "settings-unknown" : "value-unknown");
    // A replacement is checked with no old inputs, as a creation: it is a new tenant either way.
    return warnings.autoRemediation(slug, own(olds, "slug") === undefined ? "created-on" : "turns-on");
  },
};

/** When a tenant leaves the stack: it stays in CauseFlow, which cannot delete tenants. */
export function removalWarning(id: string, outputs: Props): string {
  return warnings.removal(own(outputs, "slug"), id);
}

/**
 * The outputs for a tenant as the API returned it. `settings` holds the keys the program manages,
 * with the API's values; a response without settings (POST documents none) keeps what was sent.
 * The API never returns ownerEmail, so it comes from the inputs (none for an import).
 */
export function toOutputs(tenant: ApiTenant, managed: { ownerEmail?: string; settings?: TenantSettings }): TenantOutputs {
  const outputs: TenantOutputs = {
    tenantId: tenant.tenantId,
    name: tenant.name,
    slug: tenant.slug,
    ...(managed.ownerEmail === undefined ? {} : { ownerEmail: managed.ownerEmail }),
    plan: tenant.plan,
    status: tenant.status,
    createdAt: tenant.createdAt,
  };
  if (managed.settings !== undefined) {
    const source = tenant.settings ?? managed.settings;
    const settings: Props = {};
    for (const key of SETTING_KEYS) {
      const value = own(source, key);
      if (own(managed.settings, key) !== undefined && value !== undefined && value !== null) settings[key] = value;
    }
    outputs.settings = settings as TenantSettings;
  }
  return outputs;
}

/** The inputs that refresh writes back, so the next diff compares the program against CauseFlow as it is. */
export function inputsFromOutputs(outputs: TenantOutputs): Props {
  return normalizeInputs({
    name: outputs.name,
    slug: outputs.slug,
    ownerEmail: outputs.ownerEmail,
    plan: outputs.plan,
    settings: outputs.settings,
  });
}

/** A property path as Pulumi writes one: `settings.awsRegion`, and `["odd.key"]` for keys that are not identifiers. */
export function propertyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      const text = String(key);
      if (/^[A-Za-z_$][\w$]*$/.test(text)) return index === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join("");
}

function own(value: unknown, key: string): unknown {
  return isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function isPlainObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((current, key) => own(current, String(key)), value);
}

/** True when the value at the path, or at any parent of it, is not known yet. */
function isUnknownAlong(value: unknown, path: PropertyKey[]): boolean {
  for (let depth = 0; depth <= path.length; depth++) {
    if (valueAt(value, path.slice(0, depth)) === UNKNOWN_VALUE) return true;
  }
  return false;
}

/** A value as check describes one in a failure: `null`, `an array`, `string "yes"`. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
