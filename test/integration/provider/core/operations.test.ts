/**
 * The tenant operations in this process, against the emulator over HTTP: no host, no gRPC. What
 * each operation sends, what it returns, and how each failure reaches a host: worded once, with
 * the tenant recorded when it exists.
 */
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";
import { PartialFailure, Tenants } from "../../../../provider/core/operations";
import type { TenantInputs, TenantOutputs } from "../../../../provider/core/tenantSchema";

let emulator: RunningEmulator;
let tenants: Tenants;
beforeEach(async () => {
  emulator = await startEmulator();
  tenants = new Tenants();
  const config: Record<string, string> = { apiUrl: emulator.url, apiToken: emulator.adminToken, allowInsecureHttp: "true", maxAttempts: "2" };
  tenants.configure((name) => config[name], {});
});
afterEach(() => emulator.close());

const acme = (fields: Partial<TenantInputs> = {}): TenantInputs => ({ name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro", ...fields });
const writes = () => emulator.journal.filter((entry) => entry.method !== "GET");

describe("create", () => {
  it("POSTs the tenant with its settings, and returns its id and outputs", async () => {
    const { id, outputs } = await tenants.create(acme({ settings: { awsRegion: "eu-west-1" } }));
    expect(writes()).toEqual([{ method: "POST", path: "/v1/tenants", body: expect.objectContaining({ slug: "acme-corp", settings: { awsRegion: "eu-west-1" } }) }]);
    expect(outputs).toMatchObject({ tenantId: id, slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro", status: "active", settings: { awsRegion: "eu-west-1" } });
    expect(emulator.store.findBySlug("acme-corp")?.tenantId).toBe(id);
  });

  it("fails a taken slug with the API's status, code and request id, the tenant holding it, and the ways out, worded once", async () => {
    const holder = emulator.store.create({ name: "Someone Else", slug: "acme-corp", ownerEmail: "x@else.example", plan: "pro", settings: { autoRemediation: false } });
    const urn = "urn:pulumi:dev::fleet::causeflow:index:Tenant::acme";
    const error = (await tenants.create(acme(), urn).catch((e: Error) => e)) as Error;
    expect(error).not.toBeInstanceOf(PartialFailure);
    expect(error.message).toMatch(/^Could not create CauseFlow tenant "acme-corp": HTTP 409 \S+ .*\(request [^)]+\)\. The slug "acme-corp" is already taken, by tenant /);
    expect(error.message).toContain(`by tenant ${holder.tenantId} ("Someone Else", plan pro, created ${holder.createdAt})`);
    expect(error.message).toContain(`\`pulumi import causeflow:index:Tenant acme ${holder.tenantId} --yes --protect=false --generate-code=false\``);
    expect(error.message).toContain("then `pulumi refresh --yes --clear-pending-creates` and `pulumi up`");
    expect(error.message).toContain("`adoptExisting: true`");
    expect(error.message.match(/Could not create/g)).toHaveLength(1);
    expect(emulator.store.all()).toHaveLength(1);
  });

  it("sends nothing more once the API refused the token: the other tenants fail at once, pointing at the first", async () => {
    emulator.faults.failNext({ status: 401, count: 1 });
    const first = (await tenants.create(acme()).catch((e: Error) => e)) as Error;
    expect(first.message).toContain("`pulumi config set --secret causeflow:apiToken <token>`");
    const sent = emulator.journal.length;
    for (const slug of ["globex", "initech"]) {
      const error = (await tenants.create(acme({ slug })).catch((e: Error) => e)) as Error;
      expect(error.message).toBe('The CauseFlow API refused this provider\'s token, first on tenant "acme-corp", whose error says how to set a valid one; nothing more is sent with it.');
    }
    expect(await tenants.read("ten_any").catch((e: Error) => e.message)).toMatch(/refused this provider's token, first on tenant "acme-corp"/);
    expect(emulator.journal).toHaveLength(sent);
    expect(emulator.store.all()).toEqual([]);
  });

  it("remembers a refusal met after the POST too: the tenant is recorded, and the next tenant is not sent", async () => {
    emulator.faults.failNext({ method: "GET", status: 401, count: 1 });
    const partial = (await tenants.create(acme({ settings: { awsRegion: "eu-west-1" } })).catch((e: Error) => e)) as Error;
    expect(partial).toBeInstanceOf(PartialFailure);
    expect(partial.message).toContain("`pulumi config set --secret causeflow:apiToken <token>`");
    const sent = emulator.journal.length;
    expect(await tenants.create(acme({ slug: "globex" })).catch((e: Error) => e.message)).toMatch(/refused this provider's token, first on tenant "acme-corp"/);
    expect(emulator.journal).toHaveLength(sent);
  });

  it("names the API's error alone when the tenant holding a taken slug cannot be found", async () => {
    emulator.store.create({ name: "Someone Else", slug: "acme-corp", ownerEmail: "x@else.example", plan: "pro", settings: { autoRemediation: false } });
    emulator.faults.failNext({ method: "GET", status: 503, count: 100 });
    const error = (await tenants.create(acme()).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/The slug "acme-corp" is already taken: slugs are unique across CauseFlow/);
    expect(error.message).not.toContain("pulumi import");
  });

  it("adopts the tenant holding the slug with adoptExisting, and PATCHes it to the program's name", async () => {
    const existing = emulator.store.create({ name: "Acme (by hand)", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro", settings: { autoRemediation: false } });
    const { id, outputs } = await tenants.create(acme({ adoptExisting: true }));
    expect(id).toBe(existing.tenantId);
    expect(outputs.name).toBe("Acme Corp");
    expect(writes().map(({ method }) => method)).toEqual(["POST", "PATCH"]);
  });

  it("refuses to adopt a tenant on another plan, naming both plans", async () => {
    emulator.store.create({ name: "Acme", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "business", settings: { autoRemediation: false } });
    await expect(tenants.create(acme({ adoptExisting: true }))).rejects.toThrow(
      /^Could not adopt CauseFlow tenant "acme-corp": tenant \S+ with slug "acme-corp" is on plan "business" in CauseFlow, but the program says "pro"/,
    );
  });

  it("finds the tenant its first POST created when that POST's answer was lost, and creates no second one", async () => {
    emulator.faults.failNext({ method: "POST", drop: "after" });
    const { id } = await tenants.create(acme());
    expect(emulator.store.findBySlug("acme-corp")?.tenantId).toBe(id);
    expect(writes().filter(({ method }) => method === "POST")).toHaveLength(2);
  });

  it("records a created tenant whose settings CauseFlow did not apply, as a partial failure naming them", async () => {
    emulator.faults.failNext({ dropFields: ["awsRegion"] });
    const error = (await tenants.create(acme({ settings: { awsRegion: "eu-west-1" } })).catch((e: Error) => e)) as PartialFailure;
    expect(error).toBeInstanceOf(PartialFailure);
    expect(error.id).toBe(emulator.store.findBySlug("acme-corp")?.tenantId);
    expect(error.outputs.slug).toBe("acme-corp");
    expect(error.message).toMatch(/did not apply settings\.awsRegion .* The tenant \S+ exists and is recorded in the stack/);
  });

  it("names the missing token and the two ways to set it, before any request", async () => {
    tenants.configure((name) => (name === "apiUrl" ? emulator.url : name === "allowInsecureHttp" ? "true" : undefined), {});
    await expect(tenants.create(acme())).rejects.toThrow(/^Could not create CauseFlow tenant "acme-corp": No CauseFlow API token is configured.*causeflow:apiToken.*CAUSEFLOW_API_TOKEN/);
    expect(emulator.journal).toEqual([]);
  });
});

describe("read and update", () => {
  let created: { id: string; outputs: TenantOutputs };
  beforeEach(async () => {
    created = await tenants.create(acme({ settings: { awsRegion: "eu-west-1" } }));
    emulator.journal.length = 0;
  });

  it("reads the tenant as CauseFlow reports it, with the inputs that match", async () => {
    emulator.store.put({ ...emulator.store.get(created.id)!, name: "Acme Renamed" });
    const found = await tenants.read(created.id, created.outputs);
    expect(found?.outputs).toMatchObject({ name: "Acme Renamed", settings: { awsRegion: "eu-west-1" } });
    expect(found?.inputs).toMatchObject({ name: "Acme Renamed", slug: "acme-corp" });
  });

  // The API cannot delete a tenant; one gone from CauseFlow (removed by CauseFlow's support, say) is an id it does not know.
  it("reads a tenant gone from CauseFlow as gone, once the tenant list proves the URL serves the API", async () => {
    expect(await tenants.read("ten_gone", created.outputs)).toBeUndefined();
    expect(emulator.journal.map(({ method, path }) => `${method} ${path.split("?")[0]}`)).toEqual(["GET /v1/tenants/ten_gone", "GET /v1/tenants"]);
  });

  it("PATCHes only what changed, and nothing when nothing did", async () => {
    await tenants.update(created.id, created.outputs as never, acme({ name: "Acme Inc", settings: { awsRegion: "eu-west-1" } }));
    expect(writes()).toEqual([{ method: "PATCH", path: `/v1/tenants/${created.id}`, body: { name: "Acme Inc" } }]);
    emulator.journal.length = 0;
    const outputs = await tenants.update(created.id, { ...created.outputs, name: "Acme Inc" } as never, acme({ name: "Acme Inc", settings: { awsRegion: "eu-west-1" } }));
    expect(writes()).toEqual([]);
    expect(outputs.name).toBe("Acme Inc");
  });

  it("fails an update of a tenant deleted behind the stack's back with the way back", async () => {
    await expect(tenants.update("ten_gone", created.outputs as never, acme({ name: "Acme Inc" }))).rejects.toThrow(
      /^Could not update CauseFlow tenant "acme-corp": HTTP 404 .*run `pulumi refresh` to drop it from the stack, then `pulumi up`/,
    );
  });
});

describe("find (getTenant)", () => {
  it("finds a tenant by slug with every setting CauseFlow reports, and names a slug nobody holds", async () => {
    const { id } = await tenants.create(acme({ settings: { awsRegion: "eu-west-1", autoRemediation: false } }));
    expect(await tenants.find({ slug: "acme-corp" })).toMatchObject({ tenantId: id, settings: { awsRegion: "eu-west-1", autoRemediation: false } });
    await expect(tenants.find({ slug: "nobody" })).rejects.toThrow('Could not read CauseFlow tenant "nobody": no tenant this token can see and read holds slug "nobody"');
  });
});
