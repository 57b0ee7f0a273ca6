/**
 * The fault matrix: every fault the emulator injects, against every operation, through the real
 * provider host. Each cell either converges within the retry budget or fails with a clear error;
 * every tenant the emulator holds is recorded in the stack under its id (none is orphaned); and a
 * create that failed is finished by the next `up`.
 */
import type { FaultRule } from "../../emulator/faults";
import { startStack, type Stack } from "./fixture";

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
