/**
 * The Tenant lifecycle through both hosts of the one provider core, the real dynamic-provider host
 * and the `causeflow` plugin, each driven over gRPC as `pulumi up` drives it, against the emulator
 * over HTTP. Every path must hold for both.
 */
import { CauseFlowClient } from "../../../../provider/client/client";
import { CheckFailedError } from "../../../../tools/engine-model/engine";
import { HostCallError } from "../../../../tools/engine-model/host";
import { revealSecrets } from "../../../../provider/plugin/wire";
import type * as causeflow from "@causeflow/pulumi";
import { HOSTS, PendingRole, startStack, type Stack } from "../../../support/stack";

const ROLE_A = "arn:aws:iam::123456789012:role/CauseFlowA";
const ROLE_B = "arn:aws:iam::123456789012:role/CauseFlowB";
const acme: causeflow.TenantArgs = {
  name: "Acme Corp",
  slug: "acme-corp",
  ownerEmail: "owner@acme.com",
  plan: "pro",
  settings: { awsRoleArn: ROLE_A, awsRegion: "us-east-1", awsExternalId: "causeflow-ext-acme" },
};

describe.each(HOSTS)("through the %s host", (kind) => {
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({}, {}, {}, kind);
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.engine.stack.clear();
  stack.emulator.faults.clear();
  stack.emulator.journal.length = 0;
});

/** The one tenant in the stack, its values as the program sees them (the plugin's state keeps secrets wrapped). */
const only = () => {
  const state = [...stack.engine.stack.values()][0];
  return { ...state, inputs: plain(state.inputs), outputs: plain(state.outputs) };
};
const plain = (props: Record<string, unknown>) => revealSecrets(props).value as Record<string, unknown>;
const writes = () => stack.emulator.journal.filter((r) => r.method !== "GET");
let slugCounter = 0;
/** A slug no other test has used: the emulator, like CauseFlow, never forgets a tenant. */
const fresh = (args: causeflow.TenantArgs = acme): causeflow.TenantArgs => ({ ...args, slug: `acme-${++slugCounter}` });

describe("create", () => {
  it("POSTs the tenant and records its id and outputs", async () => {
    const args = fresh();
    const step = await stack.engine.up(await stack.tenant(args));
    expect(step.kind).toBe("create");
    const { id, outputs } = only();
    const stored = stack.emulator.store.get(id)!;
    expect(stored).toMatchObject({ name: "Acme Corp", slug: args.slug, ownerEmail: "owner@acme.com", plan: "pro" });
    expect(stored.settings).toEqual({ ...acme.settings, autoRemediation: false });
    expect(outputs).toMatchObject({ tenantId: id, status: "active", plan: "pro", ownerEmail: "owner@acme.com", settings: acme.settings });
    expect(writes()).toEqual([{ method: "POST", path: "/v1/tenants", body: { name: "Acme Corp", slug: args.slug, ownerEmail: "owner@acme.com", plan: "pro", settings: acme.settings } }]);
  });

  it("follows the POST with a PATCH when autoRemediation is set", async () => {
    const args = fresh({ ...acme, settings: { ...acme.settings, autoRemediation: true } });
    await stack.engine.up(await stack.tenant(args));
    expect(writes().map((w) => `${w.method} ${JSON.stringify(w.body)}`)).toEqual([
      expect.stringMatching(/^POST (?!.*autoRemediation)/),
      `PATCH {"settings":{"autoRemediation":true}}`,
    ]);
    expect(only().outputs.settings).toMatchObject({ autoRemediation: true });
  });

  it("records a tenant whose follow-up PATCH failed, and finishes it on the next up", async () => {
    const args = fresh({ ...acme, settings: { autoRemediation: true } });
    stack.emulator.faults.failNext({ method: "PATCH", status: 500, count: 2 });
    const error = await stack.engine.up(await stack.tenant(args)).catch((e) => e);
    expect(error).toBeInstanceOf(HostCallError);
    expect(error.message).toMatch(/The tenant ten_\w+ exists and is recorded in the stack as CauseFlow reports it; the next `pulumi up` applies the remaining changes\.$/);
    const { id, outputs } = only();
    expect(stack.emulator.store.get(id)?.slug).toBe(args.slug);
    expect(outputs.settings).toEqual({});

    const retry = await stack.engine.up(await stack.tenant(args));
    // As in Pulumi, the display compares inputs (unchanged); the provider's diff sees the missing setting.
    expect(retry.kind).toBe("update");
    expect(stack.emulator.store.get(id)?.settings.autoRemediation).toBe(true);
    expect(stack.emulator.store.all().filter((t) => t.slug === args.slug)).toHaveLength(1);
  });
});

describe("diff and update", () => {
  let args: causeflow.TenantArgs;
  beforeEach(async () => {
    args = fresh();
    await stack.engine.up(await stack.tenant(args));
    stack.emulator.journal.length = 0;
  });

  it("previews an unchanged program as no change, whatever the key order or empty values", async () => {
    expect(await stack.engine.preview(await stack.tenant(args))).toMatchObject({ kind: "same", changed: [] });
    const reordered = { settings: { awsExternalId: "causeflow-ext-acme", awsRegion: "us-east-1", awsRoleArn: ROLE_A, autoRemediation: undefined }, plan: "pro" as const, ownerEmail: "owner@acme.com", slug: args.slug, name: "Acme Corp" };
    expect(await stack.engine.preview(await stack.tenant(reordered))).toMatchObject({ kind: "same", changed: [] });
    expect(stack.emulator.journal).toEqual([]);
  });

  it("renames in place with a PATCH carrying only the name", async () => {
    const step = await stack.engine.up(await stack.tenant({ ...args, name: "Acme (Updated)" }));
    expect(step).toMatchObject({ kind: "update", changed: ["name"], replaces: [] });
    expect(writes()).toEqual([{ method: "PATCH", path: `/v1/tenants/${only().id}`, body: { name: "Acme (Updated)" } }]);
    expect(only().outputs.name).toBe("Acme (Updated)");
  });

  it("changes settings in place: only changed sub-fields, a removed one sent as null", async () => {
    const step = await stack.engine.up(await stack.tenant({ ...args, settings: { awsRoleArn: ROLE_B, awsExternalId: "causeflow-ext-acme" } }));
    expect(step).toMatchObject({ kind: "update", changed: ["settings.awsRegion", "settings.awsRoleArn"] });
    expect(writes().map((w) => w.body)).toEqual([{ settings: { awsRoleArn: ROLE_B, awsRegion: null } }]);
    expect(stack.emulator.store.get(only().id)?.settings).toEqual({ awsRoleArn: ROLE_B, awsExternalId: "causeflow-ext-acme", autoRemediation: false });
    expect(only().outputs.settings).toEqual({ awsRoleArn: ROLE_B, awsExternalId: "causeflow-ext-acme" });
    expect(await stack.engine.preview(await stack.tenant({ ...args, settings: { awsRoleArn: ROLE_B, awsExternalId: "causeflow-ext-acme" } }))).toMatchObject({ kind: "same" });
  });

  it("replaces the tenant when the slug changes, and warns that the old one stays in CauseFlow", async () => {
    const old = only();
    const before = stack.host.output.length;
    const step = await stack.engine.up(await stack.tenant({ ...args, slug: `${args.slug}-new` }));
    expect(step).toMatchObject({ kind: "replace", replaces: ["slug"] });
    expect(only().id).not.toBe(old.id);
    expect(stack.emulator.store.get(old.id)).toBeDefined();
    expect(stack.emulator.store.get(only().id)?.slug).toBe(`${args.slug}-new`);
    await expect(stack.host.waitForOutput(/still exists/, before)).resolves.toMatch(new RegExp(`warning: CauseFlow tenant "${args.slug}" \\(${old.id}\\) .* still exists`));
  });

  it("refuses an owner email change under the same slug, at check, before any request", async () => {
    const error = await stack.engine.up(await stack.tenant({ ...args, ownerEmail: "new@acme.com" })).catch((e) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect(error.failures.map((f: { property: string }) => f.property)).toEqual(["ownerEmail"]);
    expect(error.message).toMatch(/cannot change from "owner@acme.com" to "new@acme.com"/);
    expect(stack.emulator.journal).toEqual([]);
  });

  it("previews unknown values as possible changes without failing check", async () => {
    const [, tenant] = await stack.run(
      () => {
        const role = new PendingRole("causeflow");
        return [role, new stack.Tenant("acme", { ...args, settings: { ...acme.settings, awsRoleArn: role.arn } })];
      },
      { preview: true },
    );
    expect(tenant.inputs.settings).toMatchObject({ awsRoleArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    expect(await stack.engine.preview(tenant)).toMatchObject({ kind: "update", changed: ["settings.awsRoleArn"] });
    const [, slugUnknown] = await stack.run(
      () => {
        const role = new PendingRole("causeflow");
        return [role, new stack.Tenant("acme", { ...args, slug: role.arn })];
      },
      { preview: true },
    );
    expect(await stack.engine.preview(slugUnknown)).toMatchObject({ kind: "replace", replaces: ["slug"] });
    expect(stack.emulator.journal).toEqual([]);
  });
});

describe("refresh", () => {
  it("brings an out-of-band change into state, and the next up puts the program's values back", async () => {
    const args = fresh();
    await stack.engine.up(await stack.tenant(args));
    const client = new CauseFlowClient({ baseUrl: stack.emulator.url, token: stack.emulator.adminToken });
    await client.updateTenant(only().id, { name: "Renamed by hand", settings: { awsRegion: "eu-west-1", autoRemediation: true } });
    await client.close();

    const [step] = await stack.engine.refresh();
    expect(step).toMatchObject({ kind: "refresh", changed: ["name", "settings.awsRegion"] });
    expect(only().outputs).toMatchObject({ name: "Renamed by hand", settings: { awsRegion: "eu-west-1" } });
    expect(only().inputs).toMatchObject({ name: "Renamed by hand" });
    // autoRemediation is not managed by this program, so it is neither drift nor reverted.
    expect(only().outputs.settings).not.toHaveProperty("autoRemediation");

    expect(await stack.engine.up(await stack.tenant(args))).toMatchObject({ kind: "update", changed: ["name", "settings.awsRegion"] });
    expect(stack.emulator.store.get(only().id)).toMatchObject({ name: "Acme Corp", settings: { awsRegion: "us-east-1", autoRemediation: true } });
  });

  it("drops a tenant that no longer exists from the stack", async () => {
    await stack.engine.up(await stack.tenant(fresh()));
    const state = only();
    stack.engine.stack.set(state.urn, { ...state, id: "ten_DELETED" });
    expect(await stack.engine.refresh()).toEqual([{ kind: "gone", urn: state.urn, changed: [], replaces: [], secrets: [] }]);
    expect(stack.engine.stack.size).toBe(0);
  });
});

describe("delete", () => {
  it("removes the tenant from the stack only, and says it still exists in CauseFlow", async () => {
    const args = fresh();
    await stack.engine.up(await stack.tenant(args));
    const { urn, id } = only();
    const before = stack.host.output.length;
    await stack.engine.delete(urn);
    expect(stack.engine.stack.size).toBe(0);
    expect(stack.emulator.store.get(id)).toBeDefined();
    expect(writes()).toEqual([{ method: "POST", path: "/v1/tenants", body: expect.anything() }]);
    await expect(stack.host.waitForOutput(/still exists/, before)).resolves.toMatch(
      new RegExp(`^warning: CauseFlow tenant "${args.slug}" \\(${id}\\) was removed from the Pulumi stack but still exists in CauseFlow`),
    );
  });
});

describe("API errors", () => {
  it("409: says the slug is taken", async () => {
    const args = fresh();
    const client = new CauseFlowClient({ baseUrl: stack.emulator.url, token: stack.emulator.adminToken });
    await client.createTenant({ name: "Squatter", slug: args.slug as string, ownerEmail: "x@y.com" });
    await client.close();
    const error = await stack.engine.up(await stack.tenant(args)).catch((e) => e);
    expect(error.message).toMatch(new RegExp(`^Could not create CauseFlow tenant "${args.slug}": HTTP 409 slug_conflict .*\\(request req_\\w+\\)\\. The slug "${args.slug}" is already taken`));
    expect(stack.engine.stack.size).toBe(0);
  });

  it("404 on update: says to refresh", async () => {
    await stack.engine.up(await stack.tenant(fresh()));
    const state = only();
    stack.engine.stack.set(state.urn, { ...state, id: "ten_DELETED" });
    const error = await stack.engine.up(await stack.tenant({ ...acme, slug: state.outputs.slug as string, name: "New" })).catch((e) => e);
    expect(error.message).toMatch(/^Could not update CauseFlow tenant "acme-\d+": HTTP 404 not_found .*run `pulumi refresh`/);
  });

  it("400 from the API: names the problem and asks to correct the program", async () => {
    stack.emulator.faults.failNext({ method: "POST", status: 400 });
    const error = await stack.engine.up(await stack.tenant(fresh())).catch((e) => e);
    expect(error.message).toMatch(/HTTP 400 validation_error .* The API rejected the tenant's values; correct them in the program/);
  });

  it("503 that outlasts the retries: names the attempts and what to do", async () => {
    await stack.engine.up(await stack.tenant(fresh()));
    stack.emulator.faults.failNext({ method: "PATCH", status: 503, count: 2 });
    const error = await stack.engine.up(await stack.tenant({ ...acme, slug: only().outputs.slug as string, name: "N" })).catch((e) => e);
    expect(error.message).toMatch(/HTTP 503 service_unavailable .* after 2 attempts\. The API could not be reached or failed/);
  });

  it("rejects invalid inputs at check with one failure per property", async () => {
    const error = await stack.engine.up(await stack.tenant({ ...acme, slug: "Not A Slug", settings: { awsRegion: "mars-1" } })).catch((e) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect(error.failures.map((f: { property: string }) => f.property)).toEqual(["slug", "settings.awsRegion"]);
    expect(stack.emulator.journal).toEqual([]);
  });
});

describe("warnings a reviewer sees in the preview", () => {
  it("a slug replacement names the old tenant that will stay in CauseFlow", async () => {
    const args = fresh();
    await stack.engine.up(await stack.tenant(args));
    const before = stack.host.output.length;
    await stack.engine.preview(await stack.tenant({ ...args, slug: `${args.slug}-b` }));
    const warning = await stack.host.waitForOutput(/replaces it/, before);
    expect(warning).toBe(
      `warning: changing the slug of CauseFlow tenant "${args.slug}" (${only().id}) to "${args.slug}-b" replaces it: ` +
        "a new tenant is created, and the old one stays in CauseFlow, no longer managed by this stack, because the API cannot delete tenants.",
    );
  });

  it("turning autoRemediation on repeats the reference's caution, at create and at update", async () => {
    const args = fresh();
    const before = stack.host.output.length;
    await stack.engine.preview(await stack.tenant({ ...args, settings: { autoRemediation: true } }));
    await expect(stack.host.waitForOutput(/autoRemediation on/, before)).resolves.toMatch(/is created with autoRemediation on\. The API reference warns: "When autoRemediation is enabled, .*without an additional human confirmation step\."$/);
    await stack.engine.up(await stack.tenant(args));
    const later = stack.host.output.length;
    await stack.engine.preview(await stack.tenant({ ...args, settings: { ...acme.settings, autoRemediation: true } }));
    await expect(stack.host.waitForOutput(/autoRemediation turns on/, later)).resolves.toContain(`"${args.slug}"`);
  });

  it("stays quiet for a preview that neither replaces nor turns autoRemediation on", async () => {
    const args = fresh({ ...acme, settings: { autoRemediation: true } });
    await stack.engine.up(await stack.tenant(args));
    const before = stack.host.output.length;
    await stack.engine.preview(await stack.tenant({ ...args, name: "Quiet" }));
    await stack.engine.delete(only().urn);
    await stack.host.waitForOutput(/still exists/, before);
    expect(stack.host.output.slice(before).filter((line) => !/still exists/.test(line))).toEqual([]);
  });
});

describe("adopting an existing tenant", () => {
  const handMade = async (slug: string, plan = "pro") => {
    const client = new CauseFlowClient({ baseUrl: stack.emulator.url, token: stack.emulator.adminToken });
    const tenant = await client.createTenant({ name: "Made by hand", slug, ownerEmail: "owner@acme.com", plan, settings: { awsRegion: "eu-west-1" } });
    await client.close();
    return tenant.tenantId;
  };

  it("without the opt-in, the 409 error points to adoptExisting", async () => {
    const args = fresh();
    await handMade(args.slug as string);
    const error = await stack.engine.up(await stack.tenant(args)).catch((e) => e);
    expect(error.message).toMatch(/is already taken.*set `adoptExisting: true` on the Tenant/);
  });

  it("with adoptExisting, records the tenant holding the slug and PATCHes name and settings to the program's", async () => {
    const args = fresh({ ...acme, adoptExisting: true });
    for (const other of ["x", "y"]) await handMade(`${args.slug}-${other}`);
    const id = await handMade(args.slug as string);
    stack.emulator.journal.length = 0;
    expect(await stack.engine.up(await stack.tenant(args))).toMatchObject({ kind: "create" });
    expect(only().id).toBe(id);
    expect(stack.emulator.store.get(id)).toMatchObject({ name: "Acme Corp", settings: { ...acme.settings, autoRemediation: false } });
    expect(stack.emulator.store.all().filter((t) => t.slug === args.slug)).toHaveLength(1);
    const patch = writes().filter((w) => w.method === "PATCH");
    expect(patch).toEqual([{ method: "PATCH", path: `/v1/tenants/${id}`, body: { name: "Acme Corp", settings: { awsRoleArn: ROLE_A, awsRegion: "us-east-1", awsExternalId: "causeflow-ext-acme" } } }]);
    expect(await stack.engine.preview(await stack.tenant(args))).toMatchObject({ kind: "same" });
  });

  it("refuses a tenant that contradicts the program, and records nothing", async () => {
    const args = fresh({ ...acme, adoptExisting: true });
    await handMade(args.slug as string, "enterprise");
    const error = await stack.engine.up(await stack.tenant(args)).catch((e) => e);
    expect(error.message).toMatch(new RegExp(`^Could not adopt CauseFlow tenant "${args.slug}": .* on plan "enterprise" in CauseFlow, but the program says "pro"`));
    expect(stack.engine.stack.size).toBe(0);
  });

  it("never causes a diff by itself", async () => {
    const args = fresh();
    await stack.engine.up(await stack.tenant(args));
    expect(await stack.engine.preview(await stack.tenant({ ...args, adoptExisting: true }))).toMatchObject({ kind: "same" });
  });
});

describe("validation that matches the world", () => {
  it("previews an owner email whose domain differs only in case as no change", async () => {
    const args = fresh();
    await stack.engine.up(await stack.tenant(args));
    expect(await stack.engine.preview(await stack.tenant({ ...args, ownerEmail: "owner@ACME.com" }))).toMatchObject({ kind: "same", changed: [] });
  });

  it("warns that autoRemediation may turn on when the settings are given whole as an Output not known at preview", async () => {
    const args = fresh();
    await stack.engine.up(await stack.tenant(args));
    const [, tenant] = await stack.run(
      () => {
        const role = new PendingRole("causeflow");
        return [role, new stack.Tenant("acme", { ...args, settings: role.arn.apply((awsRoleArn) => ({ awsRoleArn, autoRemediation: true })) })];
      },
      { preview: true },
    );
    const before = stack.host.output.length;
    await stack.engine.preview(tenant);
    await expect(stack.host.waitForOutput(/may turn on/, before)).resolves.toMatch(
      new RegExp(`^warning: autoRemediation may turn on for CauseFlow tenant "${args.slug}": its settings are not known until the update runs\\. The API reference warns: "When autoRemediation is enabled`),
    );
  });

  it("rejects names with control characters or only invisible ones, and regions that are not AWS's, before any request", async () => {
    const error = await stack.engine.up(await stack.tenant({ ...fresh(), name: "\u200b\u200b", settings: { awsRegion: "xx-foo-99" } })).catch((e) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect(error.failures).toEqual([
      { property: "name", reason: expect.stringMatching(/only invisible characters such as zero-width spaces/) },
      { property: "settings.awsRegion", reason: expect.stringMatching(/AWS region/) },
    ]);
    await expect(stack.engine.up(await stack.tenant({ ...fresh(), settings: { awsRegion: "eusc-de-east-1" } }))).resolves.toMatchObject({ kind: "create" });
    expect(writes().filter((w) => w.method === "POST")).toHaveLength(1);
  });
});

describe("a misspelt setting", () => {
  it("is named, where each host reports configuration: the dynamic host's warning, the plugin's CheckConfig", async () => {
    const misspelt = await startStack({ "causeflow:apiURL": "https://typo.example" }, {}, {}, kind);
    try {
      if (kind === "dynamic") {
        await misspelt.engine.preview(await misspelt.tenant(fresh()));
        await expect(misspelt.host.waitForOutput(/apiURL/)).resolves.toMatch(/^warning: causeflow:apiURL is not a setting of the causeflow provider; the settings are apiUrl, apiToken/);
      } else {
        const { failures } = await misspelt.host.checkConfig({ apiURL: "https://typo.example" });
        expect(failures).toEqual([{ property: "apiURL", reason: expect.stringMatching(/^is not a setting of the causeflow provider; the settings are apiUrl/) }]);
      }
    } finally {
      await misspelt.close();
    }
  });
});

/** CONTRACT.md: reading a tenant is for "a user of that tenant"; the admin who creates tenants is not one. */
describe("when reads need membership of the tenant", () => {
  let strict: Stack;
  beforeAll(async () => {
    strict = await startStack({}, { readsNeedMembership: true }, {}, kind);
  });
  afterAll(() => strict.close());

  it("create with settings records the tenant and verifies it from the PATCH's answer", async () => {
    const args = fresh({ ...acme, settings: { ...acme.settings, autoRemediation: true } });
    await strict.engine.up(await strict.tenant(args));
    const [state] = [...strict.engine.stack.values()].map((state) => ({ ...state, outputs: plain(state.outputs) }));
    expect(strict.emulator.journal.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "POST /v1/tenants",
      `GET /v1/tenants/${state.id}`,
      `PATCH /v1/tenants/${state.id}`,
    ]);
    expect(strict.emulator.journal[2].body).toEqual({ settings: { ...acme.settings, autoRemediation: true } });
    expect(state.outputs.settings).toEqual({ ...acme.settings, autoRemediation: true });
    expect(strict.emulator.store.get(state.id)?.settings).toEqual({ ...acme.settings, autoRemediation: true });
  });

  it("refresh fails saying which permission is missing, and keeps the tenant", async () => {
    strict.engine.stack.clear();
    await strict.engine.up(await strict.tenant(fresh()));
    const error = await strict.engine.refresh().catch((e) => e);
    expect(error.message).toMatch(/^Could not read CauseFlow tenant "acme-\d+": HTTP 403 forbidden .*Reading a tenant needs the token of a user of that tenant .*the admin role, which creates and updates tenants, is not enough/);
    expect(strict.engine.stack.size).toBe(1);
  });

  it("the admin's write errors keep the advice about the admin role", async () => {
    strict.engine.stack.clear();
    const member = await startStack({ "causeflow:apiUrl": strict.emulator.url, "causeflow:apiToken": strict.emulator.memberToken }, {}, {}, kind);
    try {
      const error = await member.engine.up(await member.tenant(fresh())).catch((e) => e);
      expect(error.message).toMatch(/HTTP 403 forbidden .*Creating and updating tenants needs the token of a CauseFlow user with the admin role/);
    } finally {
      await member.close();
    }
  });
});
});
