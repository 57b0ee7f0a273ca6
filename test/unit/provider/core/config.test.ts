import { DEFAULT_API_URL, missingTokenMessage, readConfig, resolveConfig } from "../../../../provider/core/config";

const none = () => undefined;
/** Stack config as the dynamic provider reads it: `causeflow:<name>`. */
const stack = (values: Record<string, string>) => (name: string) => values[`causeflow:${name}`];

describe("resolveConfig", () => {
  it("uses the documented defaults", () => {
    const config = resolveConfig(none, {});
    expect(config.apiUrl.href).toBe(`${DEFAULT_API_URL}/`);
    expect(config.apiToken).toBeUndefined();
    expect(config).toMatchObject({ requestTimeoutMs: 30_000, maxAttempts: 8, retryTimeoutMs: 120_000 });
  });

  it("prefers stack config over the environment, and falls back to the environment", () => {
    const env = { CAUSEFLOW_API_URL: "http://127.0.0.1:1/", CAUSEFLOW_API_TOKEN: "from-env", CAUSEFLOW_MAX_ATTEMPTS: "2" };
    expect(resolveConfig(none, env)).toMatchObject({ apiToken: "from-env", maxAttempts: 2 });
    const config = resolveConfig(stack({ "causeflow:apiToken": "from-stack", "causeflow:apiUrl": "https://eu.causeflow.ai" }), env);
    expect(config.apiToken).toBe("from-stack");
    expect(config.apiUrl.host).toBe("eu.causeflow.ai");
  });

  it("treats a blank value as unset", () => {
    expect(resolveConfig(stack({ "causeflow:apiToken": "  " }), { CAUSEFLOW_API_TOKEN: "env" }).apiToken).toBe("env");
  });

  it("converts seconds to milliseconds", () => {
    expect(resolveConfig(stack({ "causeflow:requestTimeout": "2.5", "causeflow:retryTimeout": "10" }), {})).toMatchObject({ requestTimeoutMs: 2500, retryTimeoutMs: 10_000 });
  });

  it.each([
    ["causeflow:apiUrl", "not a url", /causeflow:apiUrl is not a valid URL/],
    ["causeflow:apiUrl", "ftp://x", /must be an http\(s\) URL/],
    ["causeflow:requestTimeout", "soon", /causeflow:requestTimeout \(or CAUSEFLOW_REQUEST_TIMEOUT\) must be a number of seconds/],
    ["causeflow:maxAttempts", "0", /causeflow:maxAttempts \(or CAUSEFLOW_MAX_ATTEMPTS\) must be a whole number/],
  ])("rejects %s=%j with a message naming the key", (key, value, message) => {
    expect(() => resolveConfig(stack({ [key]: value }), {})).toThrow(message);
  });

  it("sends the token over plain http only to this machine, unless allowed", () => {
    for (const url of ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"]) {
      expect(resolveConfig(stack({ "causeflow:apiUrl": url }), {}).apiUrl.protocol).toBe("http:");
    }
    expect(() => resolveConfig(stack({ "causeflow:apiUrl": "http://api.causeflow.ai" }), {})).toThrow(
      /plain http to api\.causeflow\.ai: the API token would cross the network unencrypted\. Use https, or set causeflow:allowInsecureHttp \(or CAUSEFLOW_ALLOW_INSECURE_HTTP\) to true/,
    );
    expect(resolveConfig(stack({ "causeflow:apiUrl": "http://10.0.0.5" }), { CAUSEFLOW_ALLOW_INSECURE_HTTP: "true" }).apiUrl.host).toBe("10.0.0.5");
    expect(() => resolveConfig(stack({ "causeflow:allowInsecureHttp": "yes" }), {})).toThrow(/must be true or false/);
  });

  it("reports every invalid setting by name, for CheckConfig", () => {
    expect(readConfig(stack({ "causeflow:maxAttempts": "0", "causeflow:apiUrl": "ftp://x", "causeflow:requestTimeout": "30" }), {})).toEqual({
      failures: [
        { name: "apiUrl", reason: expect.stringMatching(/must be an http\(s\) URL/) },
        { name: "maxAttempts", reason: expect.stringMatching(/must be a whole number/) },
      ],
    });
  });

  it("refuses a base URL that ends in /v1, saying why", () => {
    for (const url of ["https://api.causeflow.ai/v1", "https://api.causeflow.ai/v1/", "https://proxy.example/causeflow/V1"]) {
      expect(() => resolveConfig(stack({ "causeflow:apiUrl": url }), {})).toThrow(/causeflow:apiUrl ends in \/v1 .*: give the API's base URL without it, such as https:\/\/api\.causeflow\.ai; the provider adds \/v1 to every path itself/);
    }
    expect(resolveConfig(stack({ "causeflow:apiUrl": "https://proxy.example/v1-api" }), {}).apiUrl.pathname).toBe("/v1-api");
  });

  it("says how to set a missing token", () => {
    expect(missingTokenMessage()).toMatch(/pulumi config set --secret causeflow:apiToken/);
    expect(missingTokenMessage()).toMatch(/CAUSEFLOW_API_TOKEN/);
  });
});
