/**
 * The fault matrix: every fault the emulator injects, against every operation, through the real
 * provider host. Each cell either converges within the retry budget or fails with a clear error;
 * every tenant the emulator holds is recorded in the stack under its id (none is orphaned); and a
 * create that failed is finished by the next `up`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FaultRule } from "../../../../tools/emulator/faults";
import { Engine } from "../../../../tools/engine-model/engine";
import { ProviderHost } from "../../../../tools/engine-model/host";
import { REPO_ROOT } from "../../../support/repo";
import { startStack, type Stack } from "../../../support/stack";

type Outcome = "converges" | "fails clearly";
type Operation = "create" | "update" | "refresh";

const ROLE_A = "arn:aws:iam::123456789012:role/CauseFlowA";
const ROLE_B = "arn:aws:iam::123456789012:role/CauseFlowB";

/** The fault, and what each operation must do under it. */
const MATRIX: [name: string, rules: FaultRule | FaultRule[], expected: Record<Operation, Outcome>][] = [
  ["latency below the request timeout", { latencyMs: 200, count: 20 }, { create: "converges", update: "converges", refresh: "converges" }],
  ["latency past the request timeout, once", { latencyMs: 1500, count: 1 }, { create: "converges", update: "converges", refresh: "converges" }],
  ["503 once", { status: 503, count: 1 }, { create: "converges", update: "converges", refresh: "converges" }],
  ["503 on every request", { status: 503, count: 1000 }, { create: "fails clearly", update: "fails clearly", refresh: "fails clearly" }],
  ["429 storm with reset headers", { status: 429, retryAfterSeconds: 1, count: 2 }, { create: "converges", update: "converges", refresh: "converges" }],
  ["connection dropped before processing, once", { drop: "before", count: 1 }, { create: "converges", update: "converges", refresh: "converges" }],
  ["connection dropped after processing, once", { drop: "after", count: 1 }, { create: "converges", update: "converges", refresh: "converges" }],
  ["settings silently dropped by every write", { dropFields: ["awsRoleArn"], count: 1000 }, { create: "fails clearly", update: "fails clearly", refresh: "converges" }],
  ["every read fails (a create's read-back of its settings too)", { method: "GET", status: 503, count: 1000 }, { create: "fails clearly", update: "converges", refresh: "fails clearly" }],
  [
    "POST answer lost, and the POST's settings dropped",
    [{ method: "POST", drop: "after", count: 1 }, { method: "POST", dropFields: ["awsRoleArn"], count: 1 }],
    { create: "converges", update: "converges", refresh: "converges" },
  ],
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ "causeflow:maxAttempts": "3", "causeflow:requestTimeout": "1", "causeflow:retryTimeout": "20" });
});
afterAll(() => stack.close());

let counter = 0;
const program = (slug: string, changed = false) => ({
  name: changed ? "Acme Corp (renamed)" : "Acme Corp",
  slug,
  ownerEmail: "owner@acme.com",
  settings: {
    awsRoleArn: changed ? ROLE_B : ROLE_A,
    awsRegion: changed ? "eu-west-1" : "us-east-1",
    awsExternalId: "causeflow-ext-acme",
    autoRemediation: true,
  },
});

async function run(operation: Operation, slug: string): Promise<void> {
  if (operation === "create") await stack.engine.up(await stack.tenant(program(slug)));
  else if (operation === "update") await stack.engine.up(await stack.tenant(program(slug, true)));
  else await stack.engine.refresh();
}

describe.each(MATRIX)("%s", (_name, rules, expected) => {
  it.each(["create", "update", "refresh"] as const)("%s", async (operation) => {
    stack.engine.stack.clear();
    stack.emulator.faults.clear();
    const slug = `fault-${++counter}`;
    if (operation !== "create") await stack.engine.up(await stack.tenant(program(slug)));

    for (const rule of [rules].flat()) stack.emulator.faults.failNext(rule);
    const error = await run(operation, slug).then(() => undefined, (e: Error) => e);
    stack.emulator.faults.clear();
    await stack.emulator.idle();

    const outcome: Outcome = error === undefined ? "converges" : "fails clearly";
    expect({ outcome, error: error?.message }).toMatchObject({ outcome: expected[operation] });
    if (error) {
      const verb = operation === "refresh" ? "read" : operation;
      expect(error.message).toMatch(new RegExp(`^Could not ${verb} CauseFlow tenant "${slug}": .+\\. \\S.+`));
    }

    // The API's unique slugs rule out a second tenant; what the provider must prevent is an orphan.
    const held = stack.emulator.store.all().filter((tenant) => tenant.slug === slug);
    const recorded = [...stack.engine.stack.values()].map((state) => state.id);
    for (const tenant of held) expect(recorded).toContain(tenant.tenantId);
    if (operation === "create" && error) {
      // A failed create recorded what exists, so the next `up` finishes it.
      stack.emulator.faults.clear();
      await stack.engine.up(await stack.tenant(program(slug)));
      expect(stack.emulator.store.all().filter((tenant) => tenant.slug === slug)).toEqual([expect.objectContaining(program(slug))]);
    }

    if (outcome === "converges" && operation !== "refresh") {
      const wanted = program(slug, operation === "update");
      expect(held[0]).toMatchObject({ name: wanted.name, settings: wanted.settings });
    }
  });
});

/**
 * Refresh through a URL that is not CauseFlow's tenant API: a proxy answering an HTML 404 to
 * everything, or a wrong base path whose framework answers JSON not_found. Each fails the refresh
 * naming the URL it called, and keeps every tenant in the stack.
 */
describe("refresh through a URL that does not serve the tenant API", () => {
  let html404: Server;
  let html404Url: string;
  beforeAll(async () => {
    html404 = createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<html><body><h1>404 Not Found</h1>nginx</body></html>"));
    await new Promise<void>((resolve) => html404.listen(0, "127.0.0.1", resolve));
    html404Url = `http://127.0.0.1:${(html404.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => html404.close(resolve)));

  const rows: [name: string, url: () => string, called: () => RegExp][] = [
    ["a proxy answering an HTML 404 to everything", () => html404Url, () => /answered HTTP 404 404 Not Found nginx, which is not the tenant API's own answer/],
    ["a wrong path prefix, answered with JSON not_found", () => `${stack.emulator.url}/api`, () => /answered HTTP 404 not_found .*, but GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/tenants\?limit=1 \(the tenant list\) answered HTTP 404/],
  ];

  it.each(rows)("%s: fails naming the URL, and keeps the tenants", async (_name, url, called) => {
    stack.engine.stack.clear();
    for (const n of [1, 2]) await stack.engine.up(await stack.tenant(program(`proxied-${++counter}`), `t${n}`));
    const states = [...stack.engine.stack.values()];
    const host = await ProviderHost.start({ cwd: REPO_ROOT });
    try {
      await host.configure({ "causeflow:apiUrl": url(), "causeflow:apiToken": stack.emulator.adminToken });
      const engine = new Engine(host);
      for (const state of states) engine.stack.set(state.urn, state);
      const error = await engine.refresh().catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      const { message } = error as Error;
      expect(message).toMatch(new RegExp(`^Could not read CauseFlow tenant "${states[0].outputs.slug}" \\(${states[0].id}\\): GET ${url()}/v1/tenants/${states[0].id} `.replace(/[?]/g, "\\?")));
      expect(message).toMatch(called());
      expect(message).toMatch(/The tenant stays in the stack\. Check causeflow:apiUrl \(or CAUSEFLOW_API_URL\): it must be the API's base URL, such as https:\/\/api\.causeflow\.ai, without \/v1/);
      expect([...engine.stack.keys()]).toEqual(states.map((state) => state.urn));
    } finally {
      await host.stop();
    }
  });

  it("probes the tenant list at most once per refresh, however many tenants meet a 404", async () => {
    stack.engine.stack.clear();
    for (const n of [1, 2, 3]) await stack.engine.up(await stack.tenant(program(`probe-${++counter}`), `p${n}`));
    // Ids CauseFlow does not know: the API's own not_found, from a URL that serves it.
    for (const state of [...stack.engine.stack.values()]) stack.engine.stack.set(state.urn, { ...state, id: `${state.id}_GONE` });
    const host = await ProviderHost.start({ cwd: REPO_ROOT });
    try {
      await host.configure({ "causeflow:apiUrl": stack.emulator.url, "causeflow:apiToken": stack.emulator.adminToken });
      const engine = new Engine(host);
      for (const state of stack.engine.stack.values()) engine.stack.set(state.urn, state);
      stack.emulator.journal.length = 0;
      expect((await engine.refresh()).map((step) => step.kind)).toEqual(["gone", "gone", "gone"]);
      expect(stack.emulator.journal.filter((entry) => entry.path === "/v1/tenants?limit=1")).toHaveLength(1);
    } finally {
      await host.stop();
    }
  });

  it("refuses a base URL ending in /v1 before any request, at preview, with the reason", async () => {
    const host = await ProviderHost.start({ cwd: REPO_ROOT });
    try {
      await host.configure({ "causeflow:apiUrl": `${stack.emulator.url}/v1/`, "causeflow:apiToken": stack.emulator.adminToken });
      const engine = new Engine(host);
      stack.emulator.journal.length = 0;
      const error = await engine.preview(await stack.tenant(program(`v1-${++counter}`))).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/causeflow:apiUrl ends in \/v1 \(http:\/\/127\.0\.0\.1:\d+\/v1\/\): give the API's base URL without it, such as https:\/\/api\.causeflow\.ai; the provider adds \/v1 to every path itself/);
      expect(stack.emulator.journal).toEqual([]);
    } finally {
      await host.stop();
    }
  });
});

/**
 * Two stacks declare the same slug. The second one's POST meets an unknown outcome, then 409:
 * the tenant holding the slug is taken as its own only when it provably is the one it created.
 */
describe("the two-stack race", () => {
  const ROLE_OTHER = "arn:aws:iam::999999999999:role/OtherAccount";
  let other: Stack;
  beforeAll(async () => {
    other = await startStack({ "causeflow:apiUrl": stack.emulator.url, "causeflow:apiToken": stack.emulator.adminToken, "causeflow:maxAttempts": "3" });
  });
  afterAll(() => other.close());
  beforeEach(() => {
    stack.engine.stack.clear();
    other.engine.stack.clear();
    stack.emulator.faults.clear();
  });

  const holder = (slug: string) => stack.emulator.store.findBySlug(slug)!;

  it("refuses another stack's tenant that differs from what this POST sent, and changes nothing", async () => {
    const slug = `race-${++counter}`;
    await stack.engine.up(await stack.tenant(program(slug)));
    const before = structuredClone(holder(slug));
    stack.emulator.faults.failNext({ method: "POST", status: 503, count: 1 });
    const error = await other.engine.up(await other.tenant({ ...program(slug), settings: { ...program(slug).settings, awsRoleArn: ROLE_OTHER } })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      new RegExp(`An answer was lost, and tenant ${before.tenantId} now holds the slug, but it is not provably the one this program created: its settings.awsRoleArn differs from the one sent\\. If it is yours, set \`adoptExisting: true\``),
    );
    expect(other.engine.stack.size).toBe(0);
    expect(holder(slug)).toEqual(before);
  });

  it("refuses an identical tenant created before this program's first POST left", async () => {
    const slug = `race-${++counter}`;
    await stack.engine.up(await stack.tenant(program(slug)));
    const earlier = new Date(Date.now() - 60_000).toISOString();
    stack.emulator.store.put({ ...holder(slug), createdAt: earlier });
    const before = structuredClone(holder(slug));
    stack.emulator.faults.failNext({ method: "POST", status: 503, count: 1 });
    const error = await other.engine.up(await other.tenant(program(slug))).catch((e: Error) => e);
    expect((error as Error).message).toMatch(new RegExp(`not provably the one this program created: it was created at ${earlier}, before this program's first POST left`));
    expect(holder(slug)).toEqual(before);
  });

  it("takes its own tenant after a lost answer, in a few requests however many tenants the token sees", async () => {
    for (let n = 0; n < 120; n++) stack.emulator.store.create({ name: `Bystander ${n}`, slug: `bystander-${counter}-${n}`, ownerEmail: "b@b.example", plan: "pro", settings: { autoRemediation: false } });
    const slug = `race-${++counter}`;
    stack.emulator.journal.length = 0;
    stack.emulator.faults.failNext({ method: "POST", drop: "after", count: 1 });
    await other.engine.up(await other.tenant({ ...program(slug), name: `Acme ${slug}` }));
    expect([...other.engine.stack.values()].map((state) => state.id)).toEqual([holder(slug).tenantId]);
    // POST (answer lost), POST (409), the list's pages, one read of the one tenant with the name and plan sent, the PATCH.
    const pages = Math.ceil(stack.emulator.store.size / 100);
    expect(stack.emulator.journal.map((entry) => entry.method)).toEqual(["POST", "POST", ...Array(pages).fill("GET"), "GET", "PATCH"]);
  });

  it("after a 503 on its POST, sends it again and never lists the tenants", async () => {
    const slug = `race-${++counter}`;
    stack.emulator.journal.length = 0;
    stack.emulator.faults.failNext({ method: "POST", status: 503, count: 1 });
    await other.engine.up(await other.tenant(program(slug)));
    expect(stack.emulator.journal.filter((entry) => entry.method === "GET" && entry.path.startsWith("/v1/tenants?"))).toEqual([]);
    expect(stack.emulator.journal.filter((entry) => entry.method === "POST")).toHaveLength(2);
  });
});
