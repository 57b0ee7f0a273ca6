import { FaultInjector, parseFaultRule } from "../../../../tools/emulator/faults";
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";

describe("parseFaultRule", () => {
  it.each([
    ["status=503 method=post count=2", { status: 503, method: "POST", count: 2 }],
    ["status=429 retry-after=2 count=10", { status: 429, retryAfterSeconds: 2, count: 10 }],
    ["latency=300 share=0.5", { latencyMs: 300, share: 0.5 }],
    ["drop=after method=POST path=/v1/tenants", { drop: "after", method: "POST", path: "/v1/tenants" }],
    ["drop-fields=awsRoleArn,awsExternalId", { dropFields: ["awsRoleArn", "awsExternalId"] }],
    ["slow-answer=5000 method=POST", { slowAnswerMs: 5000, method: "POST" }],
  ])("reads %j", (spec, rule) => {
    expect(parseFaultRule(spec)).toEqual(rule);
  });

  it.each([
    ["status=200", /status=200 is not valid/],
    ["share=2 status=503", /share=2 is not valid/],
    ["drop=during", /drop must be before or after/],
    ["colour=red", /unknown key "colour"/],
    ["method=GET", /does nothing/],
  ])("rejects %j, saying why", (spec, message) => {
    expect(() => parseFaultRule(spec)).toThrow(message);
  });
});

describe("FaultInjector", () => {
  it("applies a rule to the next N matching requests only", () => {
    const faults = new FaultInjector();
    faults.failNext({ method: "PATCH", path: /^\/v1\/tenants\//, status: 503, count: 2 });
    expect(faults.take("GET", "/v1/tenants/t").failure).toBeUndefined();
    expect(faults.take("PATCH", "/v1/tenants/t").failure?.status).toBe(503);
    expect(faults.take("PATCH", "/v1/tenants/t").failure?.status).toBe(503);
    expect(faults.take("PATCH", "/v1/tenants/t").failure).toBeUndefined();
  });

  it("applies a share of requests, drawn at random, without end", () => {
    const draws = [0.1, 0.9, 0.2, 0.95];
    const faults = new FaultInjector(() => draws.shift()!);
    faults.failNext({ status: 500, share: 0.5 });
    expect([1, 2, 3, 4].map(() => faults.take("GET", "/").failure?.status)).toEqual([500, undefined, 500, undefined]);
  });

  it("applies a latency or drop-fields rule without a count to every matching request", () => {
    const faults = new FaultInjector();
    faults.failNext({ method: "GET", latencyMs: 20 });
    faults.failNext({ method: "POST", dropFields: ["awsRoleArn"] });
    for (let n = 0; n < 3; n++) {
      expect(faults.take("GET", "/v1/tenants").latencyMs).toBe(20);
      expect(faults.take("POST", "/v1/tenants").dropFields).toEqual(["awsRoleArn"]);
    }
  });

  it.each([
    ["a status", { status: 503 }],
    ["a drop", { drop: "before" as const }],
    ["a status with latency and drop-fields", { status: 503, latencyMs: 20, dropFields: ["awsRoleArn"] }],
  ])("applies a rule with %s to the next matching request only, by default", (_, rule) => {
    const faults = new FaultInjector();
    faults.failNext(rule);
    expect(faults.take("GET", "/")).not.toEqual({ latencyMs: 0, slowAnswerMs: 0, dropFields: [] });
    expect(faults.take("GET", "/")).toEqual({ latencyMs: 0, slowAnswerMs: 0, dropFields: [] });
  });

  it("combines latency with a failure and announces a 429's reset", () => {
    const faults = new FaultInjector();
    faults.failNext({ latencyMs: 50, count: 1 });
    faults.failNext({ status: 429, retryAfterSeconds: 3 });
    expect(faults.take("GET", "/")).toEqual({
      latencyMs: 50,
      slowAnswerMs: 0,
      dropFields: [],
      failure: { status: 429, code: "rate_limit_exceeded", message: "Injected fault: 429 rate_limit_exceeded", retryAfterSeconds: 3 },
    });
  });
});

describe("faults over HTTP", () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.close());

  const post = (body: object) =>
    fetch(`${emulator.url}/v1/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const acme = { name: "Acme", slug: "acme", ownerEmail: "o@acme.com", settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/A" } };

  it("drops the connection before processing: nothing is stored", async () => {
    emulator.faults.failNext({ drop: "before" });
    await expect(post(acme)).rejects.toThrow();
    expect(emulator.store.size).toBe(0);
    expect(emulator.journal).toEqual([]);
  });

  it("drops the connection after processing: the tenant is stored, the answer lost", async () => {
    emulator.faults.failNext({ drop: "after" });
    await expect(post(acme)).rejects.toThrow();
    expect(emulator.store.findBySlug("acme")).toBeDefined();
  });

  it("answers a 429 storm with a reset in the headers and the body", async () => {
    emulator.faults.failNext({ status: 429, retryAfterSeconds: 2 });
    const response = await post(acme);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 1);
    expect(await response.json()).toMatchObject({ error: "rate_limit_exceeded", details: { retryAfterSeconds: 2 } });
  });

  it("answers success but silently drops the named settings", async () => {
    emulator.faults.failNext({ dropFields: ["awsRoleArn"] });
    expect((await post(acme)).status).toBe(201);
    expect(emulator.store.findBySlug("acme")?.settings).toEqual({ awsRegion: "us-east-1", autoRemediation: false });
  });
});
