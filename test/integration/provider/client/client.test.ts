import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";
import { CauseFlowClient } from "../../../../provider/client/client";
import {
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  UnexpectedResponseError,
} from "../../../../provider/client/errors";

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };
const acme = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com" };

let emulator: RunningEmulator;
let client: CauseFlowClient;

beforeEach(async () => {
  emulator = await startEmulator();
  client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, retry: fastRetry });
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

describe("CauseFlowClient against the emulator", () => {
  it("creates, reads and updates a tenant", async () => {
    const created = await client.createTenant({ ...acme, plan: "pro", settings: { awsRegion: "us-east-1" } });
    expect(created).toMatchObject({ name: "Acme Corp", slug: "acme-corp", plan: "pro", status: "active" });
    expect(created.settings).toBeUndefined();
    const read = await client.getTenant(created.tenantId);
    expect(read.settings).toEqual({ awsRegion: "us-east-1", autoRemediation: false });
    const updated = await client.updateTenant(created.tenantId, { name: "Acme 2", settings: { awsRegion: null, autoRemediation: true } });
    expect(updated).toMatchObject({ name: "Acme 2", settings: { autoRemediation: true } });
    expect(updated.settings).not.toHaveProperty("awsRegion");
  });

  it("pages through the tenant list", async () => {
    for (const n of [1, 2, 3, 4, 5]) await client.createTenant({ ...acme, slug: `acme-${n}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTenants({ limit: 2, cursor });
      seen.push(...page.tenants.map((t) => t.tenantId));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(emulator.store.all().map((t) => t.tenantId));
  });

  it("turns API errors into typed errors with status, code and request id", async () => {
    await client.createTenant(acme);
    const conflict = await client.createTenant(acme).catch((e) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ status: 409, code: "slug_conflict" });
    expect(conflict.requestId).toMatch(/^req_/);

    const invalid = await client.createTenant({ ...acme, slug: "Bad Slug" }).catch((e) => e);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect(invalid.details).toMatchObject({ fields: { slug: expect.any(String) } });

    expect(await client.getTenant("ten_missing").catch((e) => e)).toBeInstanceOf(NotFoundError);

    const member = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.memberToken });
    expect(await member.createTenant({ ...acme, slug: "other" }).catch((e) => e)).toBeInstanceOf(PermissionDeniedError);
    await member.close();

    const stranger = new CauseFlowClient({ baseUrl: emulator.url, token: "wrong" });
    expect(await stranger.listTenants().catch((e) => e)).toBeInstanceOf(AuthenticationError);
    await stranger.close();
  });

  it("retries a GET through transient 503s", async () => {
    const { tenantId } = await client.createTenant(acme);
    emulator.faults.failNext({ method: "GET", status: 503, count: 2 });
    await expect(client.getTenant(tenantId)).resolves.toMatchObject({ tenantId });
  });

  it("gives up after the configured attempts and says so", async () => {
    const limited = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, retry: { ...fastRetry, maxAttempts: 3 } });
    emulator.faults.failNext({ method: "GET", status: 503, count: 3 });
    const error = await limited.listTenants().catch((e) => e);
    await limited.close();
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toMatch(/HTTP 503 service_unavailable .* after 3 attempts$/);
  });

  it("opens no more connections than its cap, however many requests are in flight", async () => {
    const capped = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, maxConnections: 2 });
    await Promise.all(Array.from({ length: 12 }, (_, n) => capped.createTenant({ ...acme, slug: `cap-${n}` })));
    await capped.close();
    expect(emulator.store.size).toBe(12);
    expect(emulator.stats.connections).toBeLessThanOrEqual(2);
  });

  it("finds a tenant by slug, counting those it may not read, and reads only the candidates asked for", async () => {
    for (const slug of ["a", "b", "c"]) await client.createTenant({ ...acme, slug, name: `Tenant ${slug}` });
    const [, hidden] = emulator.store.all();
    emulator.faults.failNext({ method: "GET", path: `/v1/tenants/${hidden.tenantId}`, status: 403 });
    await expect(client.findTenantBySlug("c")).resolves.toMatchObject({ tenant: { slug: "c" }, unreadable: 1 });
    await expect(client.findTenantBySlug("nobody")).resolves.toEqual({ unreadable: 0 });
    emulator.journal.length = 0;
    await expect(client.findTenantBySlug("c", { only: (item) => item.name === "Tenant c" && item.plan === "starter" })).resolves.toMatchObject({ tenant: { slug: "c" } });
    expect(emulator.journal.map((entry) => entry.path)).toEqual(["/v1/tenants?limit=100", `/v1/tenants/${emulator.store.findBySlug("c")!.tenantId}`]);
  });

  it("sends a POST again after a 5xx: a repeat either creates the tenant or meets 409", async () => {
    emulator.faults.failNext({ method: "POST", status: 503 });
    await expect(client.createTenant(acme)).resolves.toMatchObject({ slug: "acme-corp" });
    expect(emulator.store.size).toBe(1);
  });

  it("marks the 409 that follows a lost answer, so the caller can tell its own tenant from a taken slug", async () => {
    emulator.faults.failNext({ method: "POST", drop: "after" });
    const afterLoss = await client.createTenant(acme).catch((e) => e);
    expect(afterLoss).toBeInstanceOf(ConflictError);
    expect(afterLoss.unknownOutcome).toBe(true);
    const plain = await client.createTenant(acme).catch((e) => e);
    expect(plain).toBeInstanceOf(ConflictError);
    expect(plain.unknownOutcome).toBe(false);
  });

  it("marks a 5xx that outlasts the retries as an unknown outcome, and a 4xx as none", async () => {
    const limited = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, retry: { ...fastRetry, maxAttempts: 2 } });
    emulator.faults.failNext({ method: "POST", status: 503, count: 2 });
    await expect(limited.createTenant(acme).catch((e) => e)).resolves.toMatchObject({ status: 503, unknownOutcome: true });
    await expect(limited.createTenant({ ...acme, slug: "Bad Slug" }).catch((e) => e)).resolves.toMatchObject({ status: 400, unknownOutcome: false });
    await limited.close();
  });

  it("stops retrying when told (the engine's Cancel): a waiting call reports its last answer, and no call tries again", async () => {
    const patient = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    emulator.faults.failNext({ method: "POST", status: 503, count: Number.MAX_SAFE_INTEGER });
    const waiting = patient.createTenant(acme).catch((e) => e);
    while (emulator.journal.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    patient.stopRetrying();
    const error = await waiting;
    expect(error).toMatchObject({ status: 503, unknownOutcome: true });
    expect(error.message).toMatch(/, not tried again: the run was cancelled$/);
    // A call made afterwards is sent once.
    await expect(patient.createTenant({ ...acme, slug: "acme-2" })).rejects.toMatchObject({ status: 503 });
    expect(emulator.journal.map((entry) => entry.method)).toEqual(["POST", "POST"]);
    await patient.close();
  });

  it("keeps retrying a search that outlasts a stop (the lookup after a lost answer), and no other call", async () => {
    const patient = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, retry: { baseDelayMs: 20, maxDelayMs: 20 } });
    await patient.createTenant(acme);
    patient.stopRetrying();
    emulator.faults.failNext({ method: "GET", status: 503, count: 3 });
    await expect(patient.findTenantBySlug(acme.slug, { outlastsCancel: true })).resolves.toMatchObject({ tenant: { slug: acme.slug } });
    emulator.faults.failNext({ method: "GET", status: 503, count: 1 });
    await expect(patient.findTenantBySlug(acme.slug)).rejects.toMatchObject({ status: 503, retriesStopped: true });
    await patient.close();
  });

  it("confirms that the base URL serves the tenant API, once per client", async () => {
    await expect(client.probeTenantApi()).resolves.toEqual({ serves: true });
    await client.probeTenantApi();
    expect(emulator.journal.filter((entry) => entry.path === "/v1/tenants?limit=1")).toHaveLength(1);
    const wrongBase = new CauseFlowClient({ baseUrl: `${emulator.url}/v1`, token: emulator.adminToken, retry: fastRetry });
    await expect(wrongBase.probeTenantApi()).resolves.toEqual({
      serves: false,
      definite: true,
      request: { method: "GET", url: `${emulator.url}/v1/v1/tenants?limit=1` },
      answer: expect.stringMatching(/^HTTP 404 not_found/),
    });
    await wrongBase.close();
    // A list that fails for another reason (here every attempt answers 503) says nothing either way.
    const unsure = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken, retry: { ...fastRetry, maxAttempts: 2 } });
    emulator.faults.failNext({ method: "GET", status: 503, count: 2 });
    await expect(unsure.probeTenantApi()).resolves.toMatchObject({ serves: false, definite: false, answer: expect.stringMatching(/^HTTP 503/) });
    await unsure.close();
  });

  it("puts the method and URL it called on API errors", async () => {
    const error = await client.getTenant("ten_missing").catch((e) => e);
    expect(error.request).toEqual({ method: "GET", url: `${emulator.url}/v1/tenants/ten_missing` });
  });
});

describe("CauseFlowClient against a misbehaving server", () => {
  let server: Server;
  const serve = async (handler: RequestListener): Promise<string> => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("rejects a success whose body is not a tenant", async () => {
    const url = await serve((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>"));
    const html = new CauseFlowClient({ baseUrl: url, token: "test-token" });
    const error = await html.getTenant("ten_1").catch((e) => e);
    await html.close();
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/answered 200 with a body this client cannot read/);
  });

  it("never puts the token in an error, even when the server echoes it", async () => {
    const token = "secret-token-value";
    const url = await serve((req, res) => res.writeHead(401).end(JSON.stringify({ error: "unauthorized", message: `bad ${req.headers.authorization}` })));
    const echo = new CauseFlowClient({ baseUrl: url, token });
    const error = await echo.getTenant("ten_1").catch((e) => e);
    await echo.close();
    expect(error.message).toContain("[redacted]");
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(token);
  });

  it("never puts the token in an error when the server echoes it with JSON escapes, anywhere in the body", async () => {
    const token = "secret-token-value";
    // Every character as \uXXXX: the raw text never contains the token, the parsed strings do.
    const escaped = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    const body = `{"error":"forbidden","message":"token ${escaped} refused","details":{"seen":["${escaped}"],"${escaped}":{"deep":"${escaped}"}}}`;
    expect(body).not.toContain(token);
    const url = await serve((_req, res) => res.writeHead(403).end(body));
    const echo = new CauseFlowClient({ baseUrl: url, token });
    const error = await echo.getTenant("ten_1").catch((e) => e);
    await echo.close();
    expect(error.message).toContain("token [redacted] refused");
    expect(error.details).toEqual({ seen: ["[redacted]"], "[redacted]": { deep: "[redacted]" } });
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(token);
  });

  it("times out a request that never gets an answer", async () => {
    const url = await serve(() => undefined);
    const slow = new CauseFlowClient({ baseUrl: url, token: "test-token", requestTimeoutMs: 100, retry: { ...fastRetry, maxAttempts: 2 } });
    const error = await slow.getTenant("ten_1").catch((e) => e);
    await slow.close();
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error.message).toMatch(/timed out after 2 attempts \(UND_ERR_HEADERS_TIMEOUT\)/);
  });

  it("reports a refused connection with its code, after retrying even a POST", async () => {
    const url = await serve(() => undefined);
    server.close();
    const refused = new CauseFlowClient({ baseUrl: url, token: "test-token", retry: { ...fastRetry, maxAttempts: 2 } });
    const error = await refused.createTenant(acme).catch((e) => e);
    await refused.close();
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
    expect(error.message).toMatch(/failed after 2 attempts \(ECONNREFUSED\)/);
  });

  it("keeps a base path of the API URL", async () => {
    const paths: string[] = [];
    const url = await serve((req, res) => {
      paths.push(req.url ?? "");
      res.writeHead(200).end(JSON.stringify({ tenants: [], cursor: null }));
    });
    const prefixed = new CauseFlowClient({ baseUrl: `${url}/proxy/`, token: "test-token" });
    await prefixed.listTenants({ limit: 5 });
    await prefixed.close();
    expect(paths).toEqual(["/proxy/v1/tenants?limit=5"]);
  });

  it("accepts a list page under `items` as well as `tenants`", async () => {
    const url = await serve((_req, res) => res.writeHead(200).end(JSON.stringify({ items: [{ tenantId: "t1", name: "A" }], cursor: null, count: 1 })));
    const items = new CauseFlowClient({ baseUrl: url, token: "test-token" });
    await expect(items.listTenants()).resolves.toEqual({ tenants: [{ tenantId: "t1", name: "A" }], cursor: null });
    await items.close();
  });
});
