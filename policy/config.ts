/**
 * A policy's configuration. The engine sends what `pulumi policy enable --config` or
 * `--policy-pack-config` gives, each property's schema `default` filled in where the file says
 * nothing (pulumi/pulumi's ReconcilePolicyPackConfig); where a host sends nothing, the same
 * defaults apply here. The schema is the one source of the defaults.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** The config of `policy` (its name), with schema defaults for what `given` leaves out. */
export function configOf<Config>(policy: string, schema: PolicyConfigSchema, given: Record<string, unknown>): Config {
  // The engine checks values against the schema but lets unknown keys through: a misspelt key
  // would silently leave a rule at its default, so it stops the analysis instead.
  const keys = Object.keys(schema.properties);
  const strays = Object.keys(given).filter((key) => !keys.includes(key));
  if (strays.length > 0) {
    throw new Error(
      `policy ${policy}: ${strays.map((key) => JSON.stringify(key)).join(", ")} ${strays.length === 1 ? "is not one of its settings" : "are not among its settings"}; ` +
        `they are ${keys.join(", ")}, and enforcementLevel`,
    );
  }
  const config: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    config[key] = given[key] ?? (typeof property === "object" ? property.default : undefined);
  }
  return config as Config;
}

/**
 * Whether a stack's name matches one of the patterns: `*` matches any characters, everything
 * else itself, ignoring case (`prod`, `prod-*`, `*-production`).
 */
export function stackMatches(stack: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const source = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${source}$`, "i").test(stack);
  });
}

/** A setting as violations quote it: `allowedStacks: ["prod", "prod-*"]`. */
export function setting(key: string, value: unknown): string {
  const json = Array.isArray(value) ? `[${value.map((item) => JSON.stringify(item)).join(", ")}]` : JSON.stringify(value);
  return `${key}: ${json}`;
}

/** A list of stack patterns, the way a JSON schema describes them. */
export const STACK_PATTERNS = {
  type: "array",
  items: { type: "string", minLength: 1 },
  uniqueItems: true,
} as const;
