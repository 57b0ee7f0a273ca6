/**
 * Provider configuration: every key, its environment fallback and its default, in one table.
 * Read inside the provider process (in `configure`), never captured into `__provider`.
 */

export const DEFAULT_API_URL = "https://api.causeflow.ai";

interface Setting {
  /** Stack config key, set with `pulumi config set [--secret] <key> <value>`. */
  key: string;
  /** Environment variable read when the stack config has no value. */
  env: string;
  secret?: boolean;
}

export const SETTINGS = {
  apiUrl: { key: "causeflow:apiUrl", env: "CAUSEFLOW_API_URL" },
  apiToken: { key: "causeflow:apiToken", env: "CAUSEFLOW_API_TOKEN", secret: true },
  requestTimeout: { key: "causeflow:requestTimeout", env: "CAUSEFLOW_REQUEST_TIMEOUT" },
  maxAttempts: { key: "causeflow:maxAttempts", env: "CAUSEFLOW_MAX_ATTEMPTS" },
  retryTimeout: { key: "causeflow:retryTimeout", env: "CAUSEFLOW_RETRY_TIMEOUT" },
  allowInsecureHttp: { key: "causeflow:allowInsecureHttp", env: "CAUSEFLOW_ALLOW_INSECURE_HTTP" },
} satisfies Record<string, Setting>;

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

export type ConfigLookup = (key: string) => string | undefined;

/** Resolves the configuration: stack config first, then the environment, then the default. */
export function resolveConfig(stackConfig: ConfigLookup, env: NodeJS.ProcessEnv): ProviderConfig {
  const present = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value.trim());
  const read = (setting: Setting) => present(stackConfig(setting.key)) ?? present(env[setting.env]);
  return {
    apiUrl: parseApiUrl(read(SETTINGS.apiUrl) ?? DEFAULT_API_URL, flag(SETTINGS.allowInsecureHttp, read(SETTINGS.allowInsecureHttp))),
    apiToken: read(SETTINGS.apiToken),
    requestTimeoutMs: seconds(SETTINGS.requestTimeout, read(SETTINGS.requestTimeout), 30),
    maxAttempts: positiveInteger(SETTINGS.maxAttempts, read(SETTINGS.maxAttempts), 5),
    retryTimeoutMs: seconds(SETTINGS.retryTimeout, read(SETTINGS.retryTimeout), 120),
  };
}

/** The error for a call that needs the API token when none is configured. */
export function missingTokenMessage(): string {
  return (
    `No CauseFlow API token is configured. Set it with ` +
    `\`pulumi config set --secret ${SETTINGS.apiToken.key} <token>\` ` +
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
      `${SETTINGS.apiUrl.key} is not a valid URL (${JSON.stringify(text)}); ` +
        `use for example ${DEFAULT_API_URL}, or unset it to use that default.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`${SETTINGS.apiUrl.key} must be an http(s) URL, got ${url.protocol}//…`);
  }
  // "All paths under /v1", says the reference: an easy URL to copy, and every path would then be /v1/v1/….
  if (/\/v1\/?$/i.test(url.pathname)) {
    throw new Error(
      `${SETTINGS.apiUrl.key} ends in /v1 (${url.href}): give the API's base URL without it, such as ${DEFAULT_API_URL}; ` +
        `the provider adds /v1 to every path itself.`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new Error(
      `${SETTINGS.apiUrl.key} uses plain http to ${url.host}: the API token would cross the network unencrypted. ` +
        `Use https, or set ${describe(SETTINGS.allowInsecureHttp)} to true if you must.`,
    );
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function flag(setting: Setting, text: string | undefined): boolean {
  if (text === undefined) return false;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  throw new Error(`${describe(setting)} must be true or false, got ${JSON.stringify(text)}.`);
}

function describe(setting: Setting): string {
  return `${setting.key} (or ${setting.env})`;
}

function seconds(setting: Setting, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback * 1000;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${describe(setting)} must be a number of seconds greater than 0, got ${JSON.stringify(text)}.`);
  }
  return value * 1000;
}

function positiveInteger(setting: Setting, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${describe(setting)} must be a whole number of at least 1, got ${JSON.stringify(text)}.`);
  }
  return value;
}
