import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { request as undiciRequest } from "undici";
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";

let emulator: RunningEmulator;
afterEach(() => emulator?.close());

const acme = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com" };

async function call(method: string, route: string, body?: unknown, token: string | null = emulator.adminToken) {
  const response = await fetch(emulator.url + route, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe("emulator", () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it("answers POST with 201 and the documented fields only, GET with settings", async () => {
    const created = await call("POST", "/v1/tenants", { ...acme, settings: { awsRegion: "us-east-1" } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["createdAt", "name", "plan", "slug", "status", "tenantId"]);
    expect(created.body).toMatchObject({ plan: "starter", status: "active" });
    const read = await call("GET", `/v1/tenants/${created.body.tenantId}`);
    expect(read.body.settings).toEqual({ awsRegion: "us-east-1", autoRemediation: false });
    expect(read.body).not.toHaveProperty("ownerEmail");
  });

  it("requires a bearer token and tells missing from invalid", async () => {
    expect(await call("GET", "/v1/tenants", undefined, null)).toMatchObject({ status: 401, body: { error: "unauthorized", message: "Missing bearer token" } });
    expect(await call("GET", "/v1/tenants", undefined, "nope")).toMatchObject({ status: 401, body: { message: "Invalid or expired token" } });
  });

  it("lets members read but not write", async () => {
    const { body } = await call("POST", "/v1/tenants", acme);
    expect((await call("GET", `/v1/tenants/${body.tenantId}`, undefined, emulator.memberToken)).status).toBe(200);
    expect(await call("PATCH", `/v1/tenants/${body.tenantId}`, { name: "x" }, emulator.memberToken)).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect((await call("POST", "/v1/tenants", { ...acme, slug: "b" }, emulator.memberToken)).status).toBe(403);
  });

  it("validates bodies and names every bad field", async () => {
    const missing = await call("POST", "/v1/tenants", { name: "" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("validation_error");
    expect(Object.keys(missing.body.details.fields).sort()).toEqual(["name", "ownerEmail", "slug"]);
    expect((await call("POST", "/v1/tenants", { ...acme, settings: { autoRemediation: true } })).status).toBe(400);
    expect((await call("POST", "/v1/tenants", "{not json")).body.message).toBe("Request body is not valid JSON");
    const { body } = await call("POST", "/v1/tenants", acme);
    const slugChange = await call("PATCH", `/v1/tenants/${body.tenantId}`, { slug: "new" });
    expect(slugChange.status).toBe(400);
  });

  it("refuses a slug that is taken, with 409 slug_conflict", async () => {
    await call("POST", "/v1/tenants", acme);
    expect(await call("POST", "/v1/tenants", { ...acme, name: "Other" })).toMatchObject({ status: 409, body: { error: "slug_conflict" } });
  });

  it("PATCHes only the fields sent, and null clears a setting", async () => {
    const { body } = await call("POST", "/v1/tenants", { ...acme, settings: { awsRegion: "us-east-1", awsRoleArn: "arn:aws:iam::123456789012:role/A" } });
    const patched = await call("PATCH", `/v1/tenants/${body.tenantId}`, { settings: { awsRegion: null, autoRemediation: true } });
    expect(patched.body).toMatchObject({ name: "Acme Corp", settings: { awsRoleArn: "arn:aws:iam::123456789012:role/A", autoRemediation: true } });
    expect(patched.body.settings).not.toHaveProperty("awsRegion");
    expect((await call("PATCH", "/v1/tenants/ten_nope", { name: "x" })).status).toBe(404);
  });

  it("pages the list with an opaque cursor and bounds the page size", async () => {
    for (const n of [1, 2, 3]) await call("POST", "/v1/tenants", { ...acme, slug: `t-${n}` });
    const first = await call("GET", "/v1/tenants?limit=2");
    expect(first.body).toMatchObject({ count: 2, cursor: expect.any(String) });
    expect(Object.keys(first.body.tenants[0]).sort()).toEqual(["name", "plan", "status", "tenantId"]);
    const second = await call("GET", `/v1/tenants?limit=2&cursor=${first.body.cursor}`);
    expect(second.body).toMatchObject({ count: 1, cursor: null });
    expect((await call("GET", "/v1/tenants?limit=101")).status).toBe(400);
  });

  it("injects a fault for the next N matching requests only", async () => {
    emulator.faults.failNext({ method: "POST", status: 503, count: 1 });
    expect((await call("GET", "/v1/tenants")).status).toBe(200);
    expect(await call("POST", "/v1/tenants", acme)).toMatchObject({ status: 503, body: { error: "service_unavailable" } });
    expect((await call("POST", "/v1/tenants", acme)).status).toBe(201);
  });

  it("with a slow answer, stores the tenant at once and answers late; a client gone meanwhile gets nothing", async () => {
    emulator.faults.failNext({ method: "POST", slowAnswerMs: 400 });
    const abandoned = new AbortController();
    const posted = fetch(emulator.url + "/v1/tenants", {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(acme),
      signal: abandoned.signal,
    }).then(
      () => "answered",
      (error: Error) => error.name,
    );
    while (!emulator.store.findBySlug(acme.slug)) await new Promise((resolve) => setTimeout(resolve, 10));
    abandoned.abort();
    expect(await posted).toBe("AbortError");
    const started = Date.now();
    const second = await call("POST", "/v1/tenants", { ...acme, slug: "second" });
    expect(second.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(emulator.store.all().map((tenant) => tenant.slug).sort()).toEqual(["acme-corp", "second"]);
  });

  it("lets no request that fails authentication meet or use up a fault", async () => {
    emulator.faults.failNext({ status: 503 });
    expect((await call("GET", "/v1/tenants", undefined, "nope")).status).toBe(401);
    expect((await call("GET", "/v1/tenants")).status).toBe(503);
    expect((await call("GET", "/v1/tenants")).status).toBe(200);
    expect(emulator.journal).toHaveLength(2);
  });

  it("answers a body over 1 MiB with 413 at once, and keeps serving", async () => {
    const response = await undiciRequest(`${emulator.url}/v1/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ ...acme, name: "x".repeat(2 * 1024 * 1024) }),
      // Fail, rather than hang, when no answer comes.
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toEqual({ error: "payload_too_large", message: "Request body exceeds 1 MiB" });
    expect((await call("GET", "/v1/tenants")).status).toBe(200);
    expect(emulator.store.size).toBe(0);
  });

  it("answers a request for a malformed URL with 400, and keeps serving", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(emulator.url);
      request({ host: url.hostname, port: url.port, path: "//[", method: "GET" }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(400);
    expect((await call("GET", "/v1/tenants")).status).toBe(200);
    await emulator.idle();
  });

  it("tags every answer with a request id", async () => {
    const a = await call("GET", "/v1/tenants");
    const b = await call("GET", "/v1/tenants");
    expect(a.headers.get("x-request-id")).toMatch(/^req_/);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });
});

describe("emulator rate limit", () => {
  it("counts down, then refuses with 429, the reset time and details.retryAfterSeconds", async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 2 });
    const first = await call("GET", "/v1/tenants");
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    await call("GET", "/v1/tenants");
    const refused = await call("GET", "/v1/tenants");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: "rate_limit_exceeded", details: { retryAfterSeconds: expect.any(Number) } });
    const reset = Number(refused.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
  });
});

describe("emulator reads needing membership", () => {
  it("answers 403 to reading an existing tenant, 404 to a missing one; list and PATCH unaffected", async () => {
    emulator = await startEmulator({ readsNeedMembership: true });
    const { body } = await call("POST", "/v1/tenants", acme);
    for (const token of [emulator.adminToken, emulator.memberToken]) {
      expect(await call("GET", `/v1/tenants/${body.tenantId}`, undefined, token)).toMatchObject({
        status: 403,
        body: { error: "forbidden", message: `Only users of tenant ${body.tenantId} can read it` },
      });
    }
    expect((await call("GET", "/v1/tenants/ten_nope")).status).toBe(404);
    expect((await call("GET", "/v1/tenants", undefined, emulator.memberToken)).body.count).toBe(1);
    expect(await call("PATCH", `/v1/tenants/${body.tenantId}`, { name: "Acme Two" })).toMatchObject({
      status: 200,
      body: { name: "Acme Two", settings: { autoRemediation: false } },
    });
  });
});

describe("emulator random draws", () => {
  it("draws a share fault from the random function it is given", async () => {
    const draws = [0.1, 0.9, 0.1, 0.9];
    emulator = await startEmulator({ random: () => draws.shift()!, faults: [{ status: 503, share: 0.5 }] });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push((await call("GET", "/v1/tenants")).status);
    expect(statuses).toEqual([503, 200, 503, 200]);
    expect(draws).toEqual([]);
  });
});

describe("emulator persistence", () => {
  it("keeps tenants in a state file across restarts", async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "cf-emu-")), "tenants.json");
    emulator = await startEmulator({ stateFile });
    const { body } = await call("POST", "/v1/tenants", acme);
    await emulator.close();
    emulator = await startEmulator({ stateFile });
    expect((await call("GET", `/v1/tenants/${body.tenantId}`)).body).toMatchObject({ slug: "acme-corp" });
    expect((await call("POST", "/v1/tenants", acme)).status).toBe(409);
  });
});
