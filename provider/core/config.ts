/**
 * Provider configuration: every setting, its type, default, environment fallback and meaning, in
 * one table, from which the plugin's schema is built too. Read inside the provider process, never
 * captured into `__provider`.
 */

import { DEFAULT_RETRY } from "../client/retry";

export const DEFAULT_API_URL = "https://api.causeflow.ai";

/** The package's name, and the namespace of its stack config keys (`causeflow:apiUrl`). */
export const PACKAGE_NAME = "causeflow";

interface Setting {
  type: "string" | "number" | "integer" | "boolean";
  /** Environment variable read when the provider's own configuration has no value. */
  env: string;
  default?: string | number | boolean;
  secret?: boolean;
  description: string;
}

export const SETTINGS = {
  apiUrl: {
    type: "string",
    env: "CAUSEFLOW_API_URL",
    default: DEFAULT_API_URL,
    description: "Base URL of the CauseFlow API, without `/v1` (the provider adds it). The local emulator's, such as `http://127.0.0.1:8080`, for tests.",
  },
  apiToken: {
    type: "string",
    env: "CAUSEFLOW_API_TOKEN",
    secret: true,
    description:
      "Token of a CauseFlow user with the admin role. API keys (`cflo_…`) and member users cannot manage tenants. Needed by every call that reaches the API; previews need none.",
  },
  requestTimeout: { type: "number", env: "CAUSEFLOW_REQUEST_TIMEOUT", default: 30, description: "Seconds one HTTP request may take." },
  maxAttempts: { type: "integer", env: "CAUSEFLOW_MAX_ATTEMPTS", default: DEFAULT_RETRY.maxAttempts, description: "Attempts per API call, the first one included." },
  retryTimeout: { type: "number", env: "CAUSEFLOW_RETRY_TIMEOUT", default: DEFAULT_RETRY.retryTimeoutMs / 1000, description: "Seconds one API call may spend retrying." },
  allowInsecureHttp: {
    type: "boolean",
    env: "CAUSEFLOW_ALLOW_INSECURE_HTTP",
    default: false,
    description: "Allow plain `http://` to a host other than this machine: the token would cross the network unencrypted.",
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The stack config key of a setting: `causeflow:apiUrl`. */
export function stackKey(name: SettingName): string {
  return `${PACKAGE_NAME}:${name}`;
}

export interface ProviderConfig {
  apiUrl: URL;
  /** Undefined until the user sets one; only calls that reach the API need it. */
  apiToken?: string;
  /** Per HTTP request, in milliseconds. */
  requestTimeoutMs: number;
  /** Attempts per API call, the first one included. */
  maxAttempts: number;
  /** Time one API call may spend on retries, in milliseconds. */
  retryTimeoutMs: number;
}

/** A setting's value as the provider was configured with it, as text; undefined when unset. */
export type ConfigLookup = (name: SettingName) => string | undefined;

export interface ConfigFailure {
  name: SettingName;
  reason: string;
}

/**
 * Reads the configuration: the provider's own values first, then `env` (pass `{}` where the
 * environment must not apply), then the defaults. Every invalid setting is reported, by name.
 */
export function readConfig(lookup: ConfigLookup, env: NodeJS.ProcessEnv): { config: ProviderConfig } | { failures: ConfigFailure[] } {
  const present = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value.trim());
  const failures: ConfigFailure[] = [];
  const read = <T>(name: SettingName, parse: (text: string) => T): T | undefined => {
    const text = present(lookup(name)) ?? present(env[SETTINGS[name].env]);
    if (text === undefined) return undefined;
    try {
      return parse(text);
    } catch (error) {
      failures.push({ name, reason: (error as Error).message });
      return undefined;
    }
  };
  const allowInsecureHttp = read("allowInsecureHttp", (text) => flag("allowInsecureHttp", text)) ?? SETTINGS.allowInsecureHttp.default;
  const config = {
    apiUrl: read("apiUrl", (text) => parseApiUrl(text, allowInsecureHttp)) ?? new URL(SETTINGS.apiUrl.default),
    apiToken: read("apiToken", (text) => text),
    requestTimeoutMs: (read("requestTimeout", (text) => seconds("requestTimeout", text)) ?? SETTINGS.requestTimeout.default) * 1000,
    maxAttempts: read("maxAttempts", (text) => positiveInteger("maxAttempts", text)) ?? SETTINGS.maxAttempts.default,
    retryTimeoutMs: (read("retryTimeout", (text) => seconds("retryTimeout", text)) ?? SETTINGS.retryTimeout.default) * 1000,
  };
  return failures.length > 0 ? { failures } : { config };
}

/**
 * The keys given to the provider that are none of its settings (a misspelling such as `apiURL`
 * would otherwise leave that setting at its default), each with the reason; `version` is the
 * engine's own.
 */
export function unknownSettings(keys: string[]): { key: string; reason: string }[] {
  return keys
    .filter((key) => key !== "version" && !(SETTING_NAMES as string[]).includes(key))
    .map((key) => ({ key, reason: `is not a setting of the causeflow provider; the settings are ${SETTING_NAMES.join(", ")}` }));
}

/** The configuration, or an error naming every invalid setting. */
export function resolveConfig(lookup: ConfigLookup, env: NodeJS.ProcessEnv): ProviderConfig {
  const result = readConfig(lookup, env);
  if ("failures" in result) throw new Error(result.failures.map((failure) => failure.reason).join(" "));
  return result.config;
}

/** The error for a call that needs the API token when none is configured. */
export function missingTokenMessage(): string {
  return (
    `No CauseFlow API token is configured. Set it with ` +
    `\`pulumi config set --secret ${stackKey("apiToken")} <token>\` (the provider's apiToken) ` +
    `or the ${SETTINGS.apiToken.env} environment variable; it must belong to a user with the admin role.`
  );
}

/** The bearer token may travel in clear text only to this machine (the emulator), unless allowed. */
function parseApiUrl(text: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `${stackKey("apiUrl")} is not a valid URL (${JSON.stringify(text)}); ` + `use for example ${DEFAULT_API_URL}, or unset it to use that default.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`${stackKey("apiUrl")} must be an http(s) URL, got ${url.protocol}//…`);
  }
  // "All paths under /v1", says the reference: an easy URL to copy, and every path would then be /v1/v1/….
  if (/\/v1\/?$/i.test(url.pathname)) {
    throw new Error(
      `${stackKey("apiUrl")} ends in /v1 (${url.href}): give the API's base URL without it, such as ${DEFAULT_API_URL}; ` +
        `the provider adds /v1 to every path itself.`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new Error(
      `${stackKey("apiUrl")} uses plain http to ${url.host}: the API token would cross the network unencrypted. ` +
        `Use https, or set ${describe("allowInsecureHttp")} to true if you must.`,
    );
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function flag(name: SettingName, text: string): boolean {
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  throw new Error(`${describe(name)} must be true or false, got ${JSON.stringify(text)}.`);
}

function describe(name: SettingName): string {
  return `${stackKey(name)} (or ${SETTINGS[name].env})`;
}

function seconds(name: SettingName, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${describe(name)} must be a number of seconds greater than 0, got ${JSON.stringify(text)}.`);
  }
  return value;
}

function positiveInteger(name: SettingName, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${describe(name)} must be a whole number of at least 1, got ${JSON.stringify(text)}.`);
  }
  return value;
}
