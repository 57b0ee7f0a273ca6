/**
 * Property-based tests with hostile input: whatever a program or the API throws at the provider,
 * it answers with named failures or typed errors, never a crash, and check never calls the API.
 */
import fc from "fast-check";
import { MockAgent } from "undici";
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";
import { CauseFlowClient } from "../../../../provider/client/client";
import { CauseFlowError } from "../../../../provider/client/errors";
import { checkTenant, propertyPath } from "../../../../provider/core/decisions";
import { SETTING_KEYS, UNKNOWN_VALUE } from "../../../../provider/core/tenantRules";
import { TenantProvider } from "../../../../provider/dynamic/tenantProvider";
import { hostileInputs, hostileValue } from "../../../support/arbitraries";

const INPUT_PATHS = ["name", "slug", "ownerEmail", "plan", "settings", "adoptExisting", ...SETTING_KEYS.map((k) => `settings.${k}`)];

/** Every path the program wrote, top-level keys and settings keys, as failures name them. */
function writtenPaths(inputs: Record<string, unknown>): string[] {
  const settings = inputs.settings;
  const nested = typeof settings === "object" && settings !== null ? Object.keys(settings).map((key) => propertyPath(["settings", key])) : [];
  return [...Object.keys(inputs).map((key) => propertyPath([key])), ...nested];
}

describe("check, with hostile inputs", () => {
  let emulator: RunningEmulator;
  const provider = new TenantProvider();
  beforeAll(async () => {
    emulator = await startEmulator();
    const config: Record<string, string> = { "causeflow:apiUrl": emulator.url, "causeflow:apiToken": emulator.adminToken };
    await provider.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
  });
  afterAll(() => emulator.close());

  it("never throws, names a property in every failure, returns serializable inputs, and calls no API", async () => {
    await fc.assert(
      fc.asyncProperty(hostileInputs, hostileInputs, async (olds, news) => {
        const { inputs, failures } = await provider.check(olds, news);
        expect(() => JSON.stringify(inputs)).not.toThrow();
        for (const failure of failures ?? []) {
          expect(typeof failure.reason).toBe("string");
          expect(failure.reason.length).toBeGreaterThan(0);
          expect([...INPUT_PATHS, ...writtenPaths(news)]).toContain(failure.property);
        }
      }),
      { numRuns: 1000 },
    );
    expect(emulator.journal).toEqual([]);
  });

  it("accepts every valid tenant, whatever its strings look like within the rules", async () => {
    const slug = fc.stringMatching(/^[a-z0-9-]{1,40}$/);
    const name = fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(slug, name, fc.constantFrom("starter", "pro", "business", "enterprise", undefined), async (s, n, plan) => {
        const { failures } = await provider.check({}, { name: n, slug: s, ownerEmail: "owner@acme.com", plan });
        expect(failures).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("check's fast path", () => {
  const validString = (pattern: RegExp) => fc.stringMatching(pattern);
  const region = fc.constantFrom("us-east-1", "us-gov-west-1", "eusc-de-east-1", "ap-southeast-7", "mx-central-1", "xx-foo-99", "us-est-1");
  const roleArn = fc.oneof(validString(/^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]{1,30}$/), fc.constantFrom("arn:aws:s3:::bucket", "arn"));
  const maybeUnknown = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(UNKNOWN_VALUE) });
  /** Inputs near the rules: mostly valid, with every rule's edge in reach. */
  const nearlyValid = fc.record(
    {
      name: maybeUnknown(fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), fc.constantFrom("\u200b", " ", "a\u0000b", "Acme"))),
      slug: maybeUnknown(fc.oneof(validString(/^[a-z0-9-]{1,20}$/), fc.constantFrom("Acme", "", "a b"))),
      ownerEmail: maybeUnknown(fc.oneof(fc.emailAddress(), fc.constantFrom("x", "a@b", "owner@ACME.com", ".a@b.co"))),
      plan: fc.oneof(fc.constantFrom("starter", "pro", "business", "enterprise", "community", "gold"), fc.constant(undefined)),
      settings: fc.oneof(
        fc.constant(undefined),
        fc.constant(UNKNOWN_VALUE),
        fc.record(
          {
            awsRoleArn: maybeUnknown(roleArn),
            awsExternalId: maybeUnknown(fc.oneof(validString(/^[\w+=,.@:/-]{2,40}$/), fc.constantFrom("x", "bad id"))),
            awsRegion: maybeUnknown(region),
            autoRemediation: maybeUnknown(fc.oneof(fc.boolean(), fc.constant("yes"))),
          },
          { requiredKeys: [] },
        ),
      ),
      adoptExisting: fc.oneof(fc.boolean(), fc.constant(undefined), fc.constant("true")),
    },
    { requiredKeys: [] },
  );
  const olds = fc.oneof(fc.constant({}), fc.record({ slug: fc.constantFrom("acme", "other"), plan: fc.constantFrom("community", "pro"), ownerEmail: fc.constant("owner@acme.com") }));

  it("answers exactly as the full schema does, over valid and nearly valid inputs", () => {
    fc.assert(
      fc.property(olds, nearlyValid, (old, news) => {
        expect(checkTenant(old, news)).toEqual(checkTenant(old, news, { viaSchema: true }));
      }),
      { numRuns: 3000 },
    );
  });

  it("answers exactly as the full schema does, over hostile inputs", () => {
    fc.assert(
      fc.property(hostileInputs, hostileInputs, (old, news) => {
        expect(checkTenant(old, news)).toEqual(checkTenant(old, news, { viaSchema: true }));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the client, with hostile responses", () => {
  const tenant = { tenantId: "ten_1", name: "Acme", slug: "acme", plan: "pro", status: "active", createdAt: "2026-01-01T00:00:00Z" };
  const bodies = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(),
    fc.constantFrom(
      "<html><body><h1>502 Bad Gateway</h1></body></html>",
      JSON.stringify(tenant).slice(0, 30),
      JSON.stringify({ ...tenant, plan: "community", extra: { nested: [1, 2] } }),
      JSON.stringify({ ...tenant, settings: { awsRegion: 42 } }),
      JSON.stringify({ error: "NOT_FOUND" }),
      JSON.stringify({ error: 42, message: null, details: [] }),
      "",
    ),
    fc.record({ ...Object.fromEntries(Object.entries(tenant).map(([k, v]) => [k, fc.oneof(fc.constant(v), hostileValue)])) }).map((value) => JSON.stringify(value)),
  );

  it("returns a valid tenant or throws one of its own typed errors, never anything else", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(200, 201, 400, 401, 403, 404, 409, 418, 429, 500, 502, 503), bodies, async (status, body) => {
        const agent = new MockAgent();
        agent.disableNetConnect();
        agent.get("http://api.test").intercept({ path: "/v1/tenants/ten_1", method: "GET" }).reply(status, body, { headers: { "content-type": "application/json" } });
        const client = new CauseFlowClient({ baseUrl: "http://api.test", token: "hostile-test-token", dispatcher: agent, retry: { maxAttempts: 1 } });
        try {
          const result = await client.getTenant("ten_1");
          expect(status).toBeLessThan(300);
          expect(typeof result.tenantId).toBe("string");
          expect(typeof result.plan).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(CauseFlowError);
          expect((error as Error).message.length).toBeGreaterThan(0);
        } finally {
          await agent.close();
        }
      }),
      { numRuns: 400 },
    );
  });

  it("tolerates unknown plan labels and extra fields", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get("http://api.test").intercept({ path: "/v1/tenants/ten_1", method: "GET" }).reply(200, { ...tenant, plan: "community", region: "eu" });
    const client = new CauseFlowClient({ baseUrl: "http://api.test", token: "hostile-test-token", dispatcher: agent });
    await expect(client.getTenant("ten_1")).resolves.toMatchObject({ plan: "community" });
    await agent.close();
  });
});
