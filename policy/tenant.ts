/**
 * A CauseFlow tenant as the policies see it, however the program declared it: the dynamic
 * `causeflow.Tenant` or the plugin's `causeflow:index:Tenant`. Both take the same inputs; the
 * engine sends them to the pack after the provider's check, secrets unwrapped, values not known
 * until the update as Pulumi's unknown sentinels, and without internal keys such as the dynamic
 * resource's `__provider` (which is never read here either way).
 */
import * as policy from "@pulumi/policy";
import { DYNAMIC_TENANT_TYPE, SETTING_KEYS, PLUGIN_TENANT_TYPE, UNKNOWN_VALUE, type SettingKey } from "@causeflow/pulumi/rules";

/**
 * @pulumi/policy exports these at run time (1.21: "so policy-pack test helpers can mirror real
 * runtime semantics"), but its published typings strip them as internal.
 */
const { UnknownValueError, unknownCheckingProxy } = policy as unknown as {
  UnknownValueError: new (sentinel: string, path: string[]) => Error;
  unknownCheckingProxy: <T>(value: T) => T;
};

/** The two forms of a tenant: `causeflow.Tenant` and the plugin's `causeflow:index:Tenant`. */
export const TENANT_TYPES: readonly string[] = [DYNAMIC_TENANT_TYPE, PLUGIN_TENANT_TYPE];

/** A value not known until the update runs: during preview, an output of a resource not created yet. */
export const NOT_KNOWN_YET: unique symbol = Symbol("not known until the update runs");
export type Known<T> = T | typeof NOT_KNOWN_YET | undefined;

export type TenantSettingsView = Partial<Record<SettingKey, unknown>>;

export interface Tenant {
  type: string;
  urn: string;
  /** The resource's name in the program. */
  name: string;
  /** The stack's name, from the URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
  stack: string;
  protect: boolean;
  slug: Known<string>;
  ownerEmail: Known<string>;
  /** As declared: undefined when the program leaves it to the default (DEFAULT_PLAN, which the provider's check fills in). */
  plan: Known<string>;
  /** Each setting as given (NOT_KNOWN_YET where not known yet), or NOT_KNOWN_YET when the whole object is. */
  settings: Known<TenantSettingsView>;
}

/** What @pulumi/policy hands a resource policy, and a stack policy for each resource. */
export interface PolicyResourceArgs {
  type: string;
  urn: string;
  name: string;
  props: Record<string, unknown>;
  opts: { protect: boolean };
}

/** The tenant a resource is, or undefined for a resource of any other type. */
export function tenantOf(resource: PolicyResourceArgs): Tenant | undefined {
  if (!TENANT_TYPES.includes(resource.type)) return undefined;
  // The analyzer's props already throw on unknowns; wrapping again makes plain props do the same.
  const props = unknownCheckingProxy(resource.props);
  const text = (key: string): Known<string> => {
    const value = read(props, key);
    return value === NOT_KNOWN_YET || typeof value === "string" ? value : undefined;
  };
  return {
    type: resource.type,
    urn: resource.urn,
    name: resource.name,
    stack: stackOf(resource.urn),
    protect: resource.opts.protect,
    slug: text("slug"),
    ownerEmail: text("ownerEmail"),
    plan: text("plan"),
    settings: settingsOf(read(props, "settings")),
  };
}

function settingsOf(settings: unknown): Known<TenantSettingsView> {
  if (settings === NOT_KNOWN_YET) return NOT_KNOWN_YET;
  if (typeof settings !== "object" || settings === null) return undefined;
  const view: TenantSettingsView = {};
  for (const key of SETTING_KEYS) {
    const value = read(settings, key);
    // null is no value, as the provider's check takes it.
    if (value !== undefined && value !== null) view[key] = value;
  }
  return view;
}

/** A property, or NOT_KNOWN_YET where @pulumi/policy's proxy says it is not known yet. */
function read(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch (error) {
    if (error instanceof UnknownValueError) return NOT_KNOWN_YET;
    throw error;
  }
}

export function stackOf(urn: string): string {
  const stack = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
  if (stack === undefined) throw new Error(`not a Pulumi URN: ${urn}`);
  return stack;
}

/** The tenant as every violation names it: its slug and URN. */
export function describeTenant(tenant: Tenant): string {
  const slug = typeof tenant.slug === "string" ? JSON.stringify(tenant.slug) : `${tenant.name} (slug not known until the update runs)`;
  return `CauseFlow tenant ${slug} (${tenant.urn})`;
}

/**
 * What a check found about one property: a violation, or a value the rule needs that is not
 * known yet, which the pack reports as advisory (the update checks it again, with the value).
 */
export interface Finding {
  property: string;
  message: string;
  known: boolean;
}

export const violation = (property: string, message: string): Finding => ({ property, message, known: true });
export const notKnownYet = (property: string, message: string): Finding => ({ property, message, known: false });

/**
 * Thrown for findings about values not known yet: @pulumi/policy reports an UnknownValueError as
 * an advisory ("can't run policy … during preview: <message>") whatever the policy's level.
 */
export class NotKnownYet extends UnknownValueError {
  constructor(message: string, property: string) {
    // The sentinel only has to be one of Pulumi's: the message is replaced.
    super(UNKNOWN_VALUE, property.split("."));
    this.message = message;
  }
}
