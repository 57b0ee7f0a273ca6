/**
 * What a preview loads: the provider's entry, as a `__provider` text loads it in the host, runs
 * check and diff of valid inputs without loading the HTTP client or the zod schemas; a call that
 * reaches the API, or inputs that must be worded as failures, load them then.
 */
import { execFileSync } from "node:child_process";
import { PROVIDER_TEXT } from "../../../../sdk/dynamic/tenant";
import { REPO_ROOT } from "../../../support/repo";

/** Runs `steps` in a fresh Node process after loading the provider through PROVIDER_TEXT; returns which libraries were loaded. */
function librariesLoadedBy(steps: string): { undici: boolean; zod: boolean } {
  const script = `
    const Module = require("node:module");
    const text = ${JSON.stringify(PROVIDER_TEXT)};
    const shim = new Module("__provider", module);
    shim.paths = Module._nodeModulePaths(process.cwd());
    shim._compile(text, "__provider");
    const provider = shim.exports.handler();
    (async () => {
      await provider.configure({ config: { get: (key) => ({ "causeflow:apiUrl": "http://127.0.0.1:9", "causeflow:apiToken": "loading-test-token", "causeflow:maxAttempts": "1" })[key] } });
      ${steps}
      const loaded = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({ undici: loaded.some((f) => f.includes("/node_modules/undici/")), zod: loaded.some((f) => f.includes("/node_modules/zod/")) }));
    })();`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8" }));
}

const valid = `{ name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro", settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/C", awsExternalId: "ext-id-123", autoRemediation: true } }`;

it("previews valid inputs without loading undici or zod", () => {
  const loaded = librariesLoadedBy(`
    const { inputs, failures } = await provider.check({}, ${valid});
    if (failures.length > 0) throw new Error(JSON.stringify(failures));
    await provider.diff("ten_1", { ...inputs, tenantId: "ten_1" }, { ...inputs, name: "Acme Inc" });`);
  expect(loaded).toEqual({ undici: false, zod: false });
});

it("loads zod to word the failures of invalid inputs, and undici for a call that reaches the API", () => {
  expect(librariesLoadedBy(`await provider.check({}, { name: "", slug: "Bad Slug", ownerEmail: "x" });`)).toEqual({ undici: false, zod: true });
  expect(librariesLoadedBy(`await provider.read("ten_1", { slug: "acme" }).catch(() => undefined);`)).toMatchObject({ undici: true });
});

