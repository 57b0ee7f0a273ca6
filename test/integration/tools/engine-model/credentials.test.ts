/**
 * The API token, through both hosts (the real dynamic-provider host, and the plugin): what happens
 * without a usable one, and proof that it never reaches state, outputs, errors, the host's output
 * or the plugin's Log calls.
 */
import { CauseFlowClient } from "../../../../provider/client/client";
import { HOSTS, startStack, type Stack } from "../../../support/stack";

let slugCounter = 0;
const tenant = () => ({ name: "Acme Corp", slug: `cred-${++slugCounter}`, ownerEmail: "owner@acme.com" });

describe.each(HOSTS)("through the %s host", (kind) => {
async function withStack<T>(config: Record<string, string | undefined>, run: (stack: Stack) => Promise<T>, tokens = {}): Promise<T> {
  const stack = await startStack(config, tokens, {}, kind);
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

describe("credentials", () => {
  it.each([
    ["no token", { "causeflow:apiToken": undefined }, /No CauseFlow API token is configured\. Set it with `pulumi config set --secret causeflow:apiToken <token>`/],
    ["a wrong token", { "causeflow:apiToken": "not-a-valid-token" }, /HTTP 401 unauthorized .* set a valid one with `pulumi config set --secret causeflow:apiToken/],
    ["a member's token", { "causeflow:apiToken": "member-token-for-test" }, /HTTP 403 forbidden .* needs the token of a CauseFlow user with the admin role/],
  ])("with %s, create fails saying what to do and creates nothing", async (_label, config, message) => {
    await withStack(
      config,
      async (stack) => {
        const error = await stack.engine.up(await stack.tenant(tenant())).catch((e) => e);
        expect(error.message).toMatch(message);
        expect(stack.emulator.store.size).toBe(0);
      },
      { memberToken: "member-token-for-test" },
    );
  });

  it("reads the token from CAUSEFLOW_API_TOKEN when the stack config has none", async () => {
    const token = "env-admin-token-for-test";
    const stack = await startStack({ "causeflow:apiToken": undefined }, { adminToken: token }, { CAUSEFLOW_API_TOKEN: token }, kind);
    try {
      await stack.engine.up(await stack.tenant(tenant()));
      expect(stack.emulator.store.size).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it("ignores CAUSEFLOW_API_TOKEN in the environment of whoever starts the provider host", async () => {
    // The provider gets only what it is configured with: a developer's real token must not leak into tests.
    process.env.CAUSEFLOW_API_TOKEN = "developer-token-from-the-shell";
    try {
      await withStack({ "causeflow:apiToken": undefined }, async (stack) => {
        const error = await stack.engine.up(await stack.tenant(tenant())).catch((e) => e);
        expect(error.message).toMatch(/No CauseFlow API token is configured/);
      });
    } finally {
      delete process.env.CAUSEFLOW_API_TOKEN;
    }
  });

  it("previews an existing stack without a token and without a single HTTP request", async () => {
    const withToken = await startStack({}, {}, {}, kind);
    const withoutToken = await startStack({ "causeflow:apiUrl": withToken.emulator.url, "causeflow:apiToken": undefined }, {}, {}, kind);
    try {
      const args = tenant();
      await withToken.engine.up(await withToken.tenant(args));
      const [state] = withToken.engine.stack.values();
      withoutToken.engine.stack.set(state.urn, state);
      const answered = () => Object.values(withToken.emulator.stats.answers).reduce((sum, n) => sum + n, 0);
      const before = { answered: answered(), connections: withToken.emulator.stats.connections };

      const preview = async (changes: object) => (await withoutToken.engine.preview(await withoutToken.tenant({ ...args, ...changes }))).kind;
      expect(await preview({})).toBe("same");
      expect(await preview({ name: "Edited" })).toBe("update");
      expect(await preview({ settings: { awsRegion: "eu-west-1", autoRemediation: true } })).toBe("update");
      expect(await preview({ slug: `${args.slug}-new` })).toBe("replace");
      expect(await withoutToken.engine.preview(await withoutToken.tenant(tenant(), "another"))).toMatchObject({ kind: "create" });
      // Not one request, authenticated or not, and not even a connection.
      expect({ answered: answered(), connections: withToken.emulator.stats.connections }).toEqual(before);

      // Refresh and update do need the token, and say how to set it.
      const how = /No CauseFlow API token is configured\. Set it with `pulumi config set --secret causeflow:apiToken <token>`/;
      await expect(withoutToken.engine.refresh()).rejects.toThrow(how);
      await expect(withoutToken.engine.up(await withoutToken.tenant({ ...args, name: "Edited" }))).rejects.toThrow(how);
    } finally {
      await withoutToken.close();
      await withToken.close();
    }
  });

  it("never writes the token into __provider, state, outputs, errors or the host's output", async () => {
    const token = "cf-admin-token-7f3a9c2e41d8";
    const seen: string[] = [];
    await withStack({ "causeflow:apiToken": token }, async (stack) => {
      const record = (value: unknown) => seen.push(typeof value === "string" ? value : JSON.stringify(value));
      const recordError = (error: Error) => record({ ...error, message: error.message, stack: error.stack });
      const args = tenant();
      await stack.engine.up(await stack.tenant({ ...args, settings: { awsRegion: "us-east-1", autoRemediation: true } }));
      await stack.engine.up(await stack.tenant({ ...args, name: "Renamed" }));
      await stack.engine.refresh();
      stack.emulator.faults.failNext({ method: "PATCH", status: 503, count: 2 });
      await stack.engine.up(await stack.tenant({ ...args, name: "Again" })).catch(recordError);
      const squatter = new CauseFlowClient({ baseUrl: stack.emulator.url, token });
      await squatter.createTenant({ ...tenant(), slug: "taken" });
      await squatter.close();
      await stack.engine.up(await stack.tenant({ ...tenant(), slug: "taken" }, "other")).catch(recordError);
      for (const state of stack.engine.stack.values()) record(state);
      await stack.engine.delete([...stack.engine.stack.keys()][0]);
      await stack.host.waitForOutput(/still exists/);
      record(stack.host.output);
      record(stack.host.logs);
      record(stack.host.debugOutput);
      // The scenarios did produce what is being searched: state (the dynamic host's with its
      // __provider), both errors, the warning.
      const all = seen.join("\n");
      const state = kind === "dynamic" ? "__provider" : '"tenantId"';
      for (const expected of [state, "after 2 attempts", "is already taken", "still exists"]) expect(all).toContain(expected);
    }, { adminToken: token });
    for (const text of seen) expect(text).not.toContain(token);
  });
});
});
