/**
 * What the `causeflow` plugin does beyond the lifecycle both hosts share (lifecycle.test.ts): how
 * it starts, its configuration, previews, detailed diffs, import, explicit providers, getTenant and
 * the engine's Log, each driven over gRPC as the engine drives it, against the emulator over HTTP.
 */
import * as causeflow from "@causeflow/pulumi";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Engine } from "../../../../tools/engine-model/engine";
import { ProviderHost } from "../../../../tools/engine-model/host";
import { PluginTenant } from "../../../../tools/engine-model/pluginTenant";
import { runProgram } from "../../../../tools/engine-model/program";
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";
import { CauseFlowClient } from "../../../../provider/client/client";
import { GET_TENANT, PLUGIN_TENANT_TYPE, UNKNOWN_VALUE } from "../../../../provider/core/tenantRules";
import { isSecret, revealSecrets, secret } from "../../../../provider/plugin/wire";
import { REPO_ROOT } from "../../../support/repo";

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
const acme = { name: "Acme Corp", ownerEmail: "owner@acme.com", plan: "pro" as const, settings: { awsRegion: "us-east-1", awsExternalId: "causeflow-ext-acme" } };
let counter = 0;
const slug = () => `plugin-${++counter}`;
const plain = (value: unknown) => revealSecrets(value).value as Record<string, any>;
const urnOf = (name: string) => `urn:pulumi:dev::causeflow::${PLUGIN_TENANT_TYPE}::${name}`;

let emulator: RunningEmulator;
let plugin: ProviderHost;
let engine: Engine;
beforeAll(async () => {
  emulator = await startEmulator();
  plugin = await ProviderHost.startPlugin({ cwd: REPO_ROOT });
  await plugin.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken), maxAttempts: 2 }, { name: "default" });
  engine = new Engine(plugin);
});
afterAll(async () => {
  await plugin.stop();
  await emulator.close();
  expect(JSON.stringify([plugin.output, plugin.logs])).not.toContain(emulator.adminToken);
});
beforeEach(() => {
  engine.stack.clear();
  emulator.journal.length = 0;
});

/** What a program using the plugin registers for this tenant; `provider` names the explicit provider it uses. */
async function registration(args: Record<string, unknown>, name = "acme", provider?: string) {
  const [registered] = await runProgram(() => [new PluginTenant(name, args as never)], { keepSecrets: true });
  return { ...registered, provider };
}

describe.each(["bin", "run-plugin"] as const)("started through its %s", (via) => {
  it("prints its port, answers with the package's version and schema, and serves a tenant", async () => {
    const host = await ProviderHost.startPlugin({ cwd: REPO_ROOT, via });
    try {
      expect(await host.getPluginInfo()).toBe(version);
      expect(await host.getSchema()).toMatchObject({ name: "causeflow", version, resources: { [PLUGIN_TENANT_TYPE]: expect.any(Object) } });
      await host.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
      const tenant = await registration({ ...acme, slug: slug() });
      await new Engine(host).up(tenant);
      expect(emulator.store.findBySlug(tenant.inputs.slug as string)).toMatchObject({ name: "Acme Corp" });
    } finally {
      await host.stop();
    }
  });
});

it("ships a PulumiPlugin.yaml folder that runs this package's plugin, at this package's version", () => {
  const folder = path.join(REPO_ROOT, "provider", "cmd", "pulumi-resource-causeflow");
  const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
  const root = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  expect(readFileSync(path.join(folder, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  expect(manifest).toMatchObject({ version, dependencies: { "@causeflow/pulumi": version } });
  expect(root.files).toContain("provider/cmd/pulumi-resource-causeflow/PulumiPlugin.yaml");
  expect(root.bin["pulumi-resource-causeflow"]).toBe("dist/provider/cmd/pulumi-resource-causeflow/main.js");
  expect(readFileSync(path.join(REPO_ROOT, "provider", "cmd", "pulumi-resource-causeflow", "main.ts"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
});

describe("configuration", () => {
  it("CheckConfig names each bad key, takes secrets plain and gives the inputs back as they came", async () => {
    const news = { apiUrl: "https://api.causeflow.ai/v1", maxAttempts: "0", colour: "red", apiToken: "plain-token-value", version: "0.1.0" };
    const { inputs, failures } = await plugin.checkConfig(news);
    expect(inputs).toEqual(news);
    expect(failures).toEqual([
      { property: "colour", reason: expect.stringMatching(/is not a setting of the causeflow provider; the settings are apiUrl, apiToken, /) },
      { property: "apiUrl", reason: expect.stringMatching(/ends in \/v1/) },
      { property: "maxAttempts", reason: expect.stringMatching(/must be a whole number of at least 1/) },
    ]);
    expect((await plugin.checkConfig({ apiUrl: emulator.url, requestTimeout: 2.5, allowInsecureHttp: true, maxAttempts: UNKNOWN_VALUE })).failures).toEqual([]);
  });

  it("DiffConfig reports a changed setting as an update, never a replacement", async () => {
    const diff = await plugin.diffConfig({ apiUrl: "https://a.example" }, { apiUrl: "https://b.example" });
    expect(diff).toMatchObject({ changes: "some", replaces: [], diffs: ["apiUrl"], detailedDiff: { apiUrl: "UPDATE" } });
    expect(await plugin.diffConfig({ apiUrl: "https://a.example", version }, { apiUrl: "https://a.example", version })).toMatchObject({ changes: "none" });
  });

  it("takes values as real values or as JSON text, and the environment only for the default provider", async () => {
    // One plugin process per provider, as the engine starts them, both with CAUSEFLOW_* set.
    const env = { CAUSEFLOW_API_URL: emulator.url, CAUSEFLOW_API_TOKEN: emulator.adminToken };
    const [defaultProvider, explicitProvider] = await Promise.all([ProviderHost.startPlugin({ cwd: REPO_ROOT, env }), ProviderHost.startPlugin({ cwd: REPO_ROOT, env })]);
    try {
      await defaultProvider.configure({ maxAttempts: "2", requestTimeout: 5, allowInsecureHttp: false }, { name: "default_0_1_0" });
      const tenant = await registration({ ...acme, slug: slug() });
      await new Engine(defaultProvider).up(tenant);
      expect(emulator.store.findBySlug(tenant.inputs.slug as string)).toBeDefined();
      // An explicit provider gets only what the program gave it: the environment's token must not reach its URL.
      await explicitProvider.configure({ apiUrl: emulator.url }, { name: "staging" });
      const error = await new Engine(explicitProvider).up(await registration({ ...acme, slug: slug() })).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/No CauseFlow API token is configured/);
    } finally {
      await Promise.all([defaultProvider.stop(), explicitProvider.stop()]);
    }
  });
});

describe("previews", () => {
  it("previews a create and an update with no request, unknowns where CauseFlow decides", async () => {
    const tenant = await registration({ ...acme, slug: slug() });
    const created = await engine.preview(tenant);
    expect(created.previewOutputs).toMatchObject({ name: "Acme Corp", tenantId: UNKNOWN_VALUE, status: UNKNOWN_VALUE, createdAt: UNKNOWN_VALUE });
    await engine.up(tenant);
    emulator.journal.length = 0;
    const [state] = engine.stack.values();
    const updated = await engine.preview(await registration({ ...acme, slug: tenant.inputs.slug, name: "Acme Inc" }));
    expect(updated).toMatchObject({ kind: "update", previewOutputs: { name: "Acme Inc", tenantId: state.id, status: "active" } });
    expect(emulator.journal).toEqual([]);
  });

  it("gives a detailed diff by property path, with the slug replacing", async () => {
    const tenant = await registration({ ...acme, slug: slug() });
    await engine.up(tenant);
    const [state] = engine.stack.values();
    const news = { ...acme, slug: tenant.inputs.slug, name: "Acme Inc", settings: { awsRoleArn: "arn:aws:iam::123456789012:role/A", awsExternalId: "causeflow-ext-acme" } };
    const { inputs } = await plugin.check(tenant.urn, state.inputs, (await registration(news)).inputs);
    expect(await plugin.diff(tenant.urn, state.id, state.outputs, inputs)).toEqual({
      changes: "some",
      replaces: [],
      diffs: ["name", "settings"],
      detailedDiff: { name: "UPDATE", "settings.awsRoleArn": "ADD", "settings.awsRegion": "DELETE" },
    });
    const moved = await plugin.check(tenant.urn, state.inputs, (await registration({ ...acme, slug: `${tenant.inputs.slug}-b` })).inputs);
    expect(await plugin.diff(tenant.urn, state.id, state.outputs, moved.inputs)).toMatchObject({ replaces: ["slug"], detailedDiff: { slug: "UPDATE_REPLACE" } });
  });
});

describe("secrets", () => {
  it("marks the external id secret in inputs and outputs, whether or not the program did, and keeps the program's secrets", async () => {
    const tenant = await registration({ ...acme, name: pulumi.secret("Acme Secret Corp"), slug: slug() });
    const { inputs } = await plugin.check(tenant.urn, {}, tenant.inputs);
    expect(isSecret((inputs.settings as Record<string, unknown>).awsExternalId)).toBe(true);
    expect(isSecret(inputs.name)).toBe(true);
    await engine.up(tenant);
    const [state] = engine.stack.values();
    expect(isSecret((state.outputs.settings as Record<string, unknown>).awsExternalId)).toBe(true);
    expect(isSecret(state.outputs.name)).toBe(true);
    expect(isSecret(state.outputs.slug)).toBe(false);
  });
});

describe("import", () => {
  it("reads a tenant by id alone, and the program generated from it previews as no change", async () => {
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    const made = await client.createTenant({ name: "Made by hand", slug: slug(), ownerEmail: "it@hand.example", plan: "business", settings: { awsRegion: "eu-west-1", awsExternalId: "hand-ext-id" } });
    await client.close();
    const urn = urnOf("legacy");
    // The CLI shows Check's failures as warnings: CauseFlow never returns the owner's email.
    const { warnings } = await engine.import(urn, made.tenantId);
    expect(warnings).toEqual(["ownerEmail: is required: set ownerEmail on the tenant"]);
    const state = engine.stack.get(urn)!;
    // autoRemediation is off, as on every tenant until turned on: not something the program must say.
    expect(plain(state.inputs)).toEqual({ name: "Made by hand", slug: made.slug, plan: "business", settings: { awsRegion: "eu-west-1", awsExternalId: "hand-ext-id" } });
    expect(isSecret((state.inputs.settings as Record<string, unknown>).awsExternalId)).toBe(true);
    expect(plain(state.outputs)).toMatchObject({ tenantId: made.tenantId, status: "active" });

    // What `pulumi import` generates is the inputs above; the user adds what the API never returns.
    const generated = { ...plain(state.inputs), ownerEmail: "it@hand.example" };
    const [program] = await runProgram(() => [new PluginTenant("legacy", generated as never)], { keepSecrets: true });
    emulator.journal.length = 0;
    expect(await engine.preview(program)).toMatchObject({ kind: "same", replaces: [] });
    expect(emulator.journal).toEqual([]);
  });

  it("takes over a tenant created by the dynamic resource, without recreating it", async () => {
    const dynamic = await ProviderHost.start({ cwd: REPO_ROOT });
    try {
      await dynamic.configure({ "causeflow:apiUrl": emulator.url, "causeflow:apiToken": emulator.adminToken });
      const args = { ...acme, slug: slug() };
      const [old] = await runProgram(() => [new causeflow.Tenant("acme", args)]);
      const before = new Engine(dynamic);
      await before.up(old);
      const [{ id }] = before.stack.values();
      await before.delete(old.urn); // the dynamic resource leaves the stack; the tenant stays in CauseFlow
      await engine.import(urnOf("acme"), id);
      const [program] = await runProgram(() => [new PluginTenant("acme", args)], { keepSecrets: true });
      expect(await engine.preview(program)).toMatchObject({ kind: "same" });
      expect(emulator.store.all().filter((tenant) => tenant.slug === args.slug)).toHaveLength(1);
    } finally {
      await dynamic.stop();
    }
  });
});

describe("explicit providers", () => {
  it("sends each tenant to its own provider's CauseFlow", async () => {
    const staging = await startEmulator();
    const explicit = await ProviderHost.startPlugin({ cwd: REPO_ROOT });
    try {
      await explicit.configure({ apiUrl: staging.url, apiToken: secret(staging.adminToken) }, { name: "staging" });
      const both = new Engine({ default: plugin, staging: explicit });
      const production = await registration({ ...acme, slug: slug() }, "production");
      const preprod = await registration({ ...acme, slug: slug() }, "preprod", "staging");
      await both.up(production);
      await both.up(preprod);
      expect(emulator.store.findBySlug(production.inputs.slug as string)).toBeDefined();
      expect(emulator.store.findBySlug(preprod.inputs.slug as string)).toBeUndefined();
      expect(staging.store.findBySlug(preprod.inputs.slug as string)).toBeDefined();
      await both.refresh();
      expect(both.stack.size).toBe(2);
    } finally {
      await explicit.stop();
      await staging.close();
    }
  });
});

describe("getTenant", () => {
  it("finds a tenant by id or by slug, with every setting and the external id secret", async () => {
    const tenant = await registration({ ...acme, slug: slug() });
    await engine.up(tenant);
    const [{ id }] = engine.stack.values();
    const byId = await plugin.invoke(GET_TENANT, { tenantId: id });
    const bySlug = await plugin.invoke(GET_TENANT, { slug: tenant.inputs.slug });
    expect(byId.failures).toEqual([]);
    expect(plain(byId.returned)).toEqual(plain(bySlug.returned));
    expect(plain(byId.returned)).toMatchObject({ tenantId: id, name: "Acme Corp", plan: "pro", settings: { ...acme.settings, autoRemediation: false } });
    expect(isSecret(byId.returned!.settings && (byId.returned!.settings as Record<string, unknown>).awsExternalId)).toBe(true);
  });

  it("names what is wrong with its arguments, and says which tenant it could not find", async () => {
    expect((await plugin.invoke(GET_TENANT, {})).failures).toEqual([{ property: "tenantId", reason: "give tenantId or slug" }]);
    expect((await plugin.invoke(GET_TENANT, { tenantId: "ten_1", slug: "a" })).failures).toEqual([{ property: "slug", reason: "give tenantId or slug, not both" }]);
    await expect(plugin.invoke(GET_TENANT, { slug: "nobody-has-this" })).rejects.toThrow(/no tenant this token can see and read holds slug "nobody-has-this"/);
    await expect(plugin.invoke("causeflow:index:getNothing", {})).rejects.toThrow(/unknown function causeflow:index:getNothing/);
  });
});

describe("Cancel", () => {
  it("stops the retries of every call waiting: each reports its last answer at once, and nothing is sent again", async () => {
    const cancelled = await ProviderHost.startPlugin({ cwd: REPO_ROOT });
    const fleet = Array.from({ length: 12 }, () => ({ ...acme, slug: slug() }));
    try {
      await cancelled.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
      const checked = await Promise.all(fleet.map((tenant) => cancelled.check(urnOf(tenant.slug), {}, tenant)));
      emulator.faults.failNext({ method: "POST", status: 503, count: Number.MAX_SAFE_INTEGER });
      const creating = checked.map(({ inputs }, i) => cancelled.create(urnOf(fleet[i].slug), inputs).then(() => "created", (error: Error) => error.message));
      const posts = () => emulator.journal.filter((entry) => entry.method === "POST").length;
      // Each first attempt answered 503; every call now waits at least 250 ms to try again.
      while (posts() < fleet.length) await new Promise((resolve) => setTimeout(resolve, 5));
      await cancelled.cancel();
      for (const message of await Promise.all(creating)) {
        expect(message).toContain("HTTP 503");
        expect(message).toContain("not tried again: the run was cancelled");
        // The answer was lost, so the slug was looked up: nothing was created.
        expect(message).toContain("nothing was created");
      }
      expect(posts()).toBe(fleet.length);
    } finally {
      emulator.faults.clear();
      await cancelled.stop();
    }
    // Twelve calls waiting at once is no leak: Node's warning past ten would reach users of the dynamic provider.
    expect(cancelled.debugOutput.join("\n")).not.toContain("MaxListenersExceededWarning");
  });
});

describe("warnings through the engine's Log", () => {
  it("logs the replacement, autoRemediation and removal warnings with the resource's URN", async () => {
    const tenant = await registration({ ...acme, slug: slug() });
    await engine.up(tenant);
    const from = plugin.logs.length;
    await engine.preview(await registration({ ...acme, slug: `${tenant.inputs.slug}-b`, settings: { autoRemediation: true } }));
    await engine.delete(tenant.urn);
    const logged = plugin.logs.slice(from);
    expect(logged.map((entry) => entry.urn)).toEqual([tenant.urn, tenant.urn, tenant.urn]);
    expect(logged.map((entry) => entry.severity)).toEqual([2, 2, 2]);
    expect(logged.map((entry) => entry.message)).toEqual([
      expect.stringMatching(/autoRemediation turns on/),
      expect.stringMatching(/replaces it/),
      expect.stringMatching(/was removed from the Pulumi stack but still exists/),
    ]);
  });
});
