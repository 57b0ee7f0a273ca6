import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { checkTenant } from "@causeflow/pulumi/rules";
import { fleetResourceOptions, parseFleet, type FleetEntry } from "../../../examples/typescript/fleet/fleet";
import program = require("../../../examples/typescript/fleet/index");
import { startStack, type Stack } from "../../support/stack";
import { EXTERNAL_ID, exampleFile, projectName, resolve, runExample } from "../../support/examples";

const TENANT = "pulumi-nodejs:dynamic/causeflow:Tenant";
const project = projectName("fleet");
const committedFleet = exampleFile("fleet", "tenants.yaml");
const scratch = mkdtempSync(path.join(tmpdir(), "cf-fleet-"));

/** Writes a fleet file holding these entries and returns its path. */
function fleetFile(tenants: unknown[], name = "tenants.yaml"): string {
  const file = path.join(scratch, name);
  writeFileSync(file, stringify({ tenants }));
  return file;
}

const run = (file: string, config: Record<string, string> = {}) => runExample("fleet", program, { [`${project}:fleetFile`]: file, ...config });

const acme = { slug: "acme-corp", name: "Acme Corp", ownerEmail: "owner@acme.example", production: true, aws: { region: "us-east-1", autoRemediation: true } };
const globex = { slug: "globex", name: "Globex", ownerEmail: "it@globex.example" };
const globexWithRole = { ...globex, aws: { region: "eu-west-1" } };
const initech = { slug: "initech", name: "Initech", ownerEmail: "ops@initech.example" };

/** The lines naming bad entries in what parseFleet throws for a file holding initech, then `bad`. */
function problemsWith(bad: unknown): string[] {
  try {
    parseFleet(stringify({ tenants: [initech, bad] }), "tenants.yaml");
  } catch (error) {
    const [header, ...lines] = (error as Error).message.split("\n  ");
    expect(header).toBe("tenants.yaml: fix these entries; nothing was created or changed:");
    return lines;
  }
  throw new Error("parseFleet accepted the entry");
}

describe("parseFleet", () => {
  it("reads every entry, with the defaults filled in", () => {
    expect(parseFleet(stringify({ tenants: [initech, { ...globexWithRole, plan: "pro" }] }), "f.yaml")).toEqual<FleetEntry[]>([
      { ...initech, plan: "starter", production: false },
      { ...globexWithRole, plan: "pro", production: false },
    ]);
  });

  it("reads JSON as well", () => {
    expect(parseFleet(JSON.stringify({ tenants: [initech] }), "fleet.json").map((e) => e.slug)).toEqual(["initech"]);
  });

  it("reads YAML merge keys, so entries can share defaults and override them", () => {
    const text = [
      "defaults: &defaults",
      "  plan: business",
      "  production: true",
      "tenants:",
      "  - <<: *defaults",
      ...Object.entries(initech).map(([key, value]) => `    ${key}: ${value}`),
      "  - <<: *defaults",
      "    production: false",
      ...Object.entries(globex).map(([key, value]) => `    ${key}: ${value}`),
    ].join("\n");
    expect(parseFleet(text, "t.yaml")).toEqual<FleetEntry[]>([
      { ...initech, plan: "business", production: true },
      { ...globex, plan: "business", production: false },
    ]);
  });

  it.each<[string, unknown, string]>([
    ["a missing field", { slug: "globex", name: "Globex" }, 'tenants[1] (slug "globex"): ownerEmail is required: set ownerEmail on the tenant'],
    ["an invalid email", { ...globex, ownerEmail: "it-at-globex" }, 'tenants[1] (slug "globex"): ownerEmail must be a valid email address'],
    ["an unknown plan", { ...globex, plan: "gold" }, 'tenants[1] (slug "globex"): plan must be one of starter, pro, business, enterprise'],
    ["an invalid slug", { ...globex, slug: "Globex Inc" }, 'tenants[1] (slug "Globex Inc"): slug must contain only lowercase letters, digits and hyphens'],
    ["no slug at all", { name: "Globex", ownerEmail: "it@globex.example" }, "tenants[1] (no slug): slug is required: set slug on the tenant"],
    ["a slug that is not a string", { ...globex, slug: 5 }, "tenants[1] (no slug): slug must be a string, got number 5"],
    ["a misspelt field", { ...globex, ownerEmial: "x" }, 'tenants[1] (slug "globex"): ownerEmial is not a field of a fleet entry; the fields are slug, name, ownerEmail, plan, production, aws'],
    ["a misspelt aws field", { ...globex, aws: { region: "us-east-1", regoin: "us-east-1" } }, 'tenants[1] (slug "globex"): aws.regoin is not a field of aws; the fields are region, autoRemediation'],
    ["aws without a region", { ...globex, aws: { autoRemediation: true } }, 'tenants[1] (slug "globex"): aws.region is required: set aws.region on the tenant'],
    ["an empty region", { ...globex, aws: { region: null } }, 'tenants[1] (slug "globex"): aws.region is required: set aws.region on the tenant'],
    ["an invalid region", { ...globex, aws: { region: "Ireland" } }, 'tenants[1] (slug "globex"): aws.region must be an AWS region name such as us-east-1'],
    ["a region that is not a string", { ...globex, aws: { region: 5 } }, 'tenants[1] (slug "globex"): aws.region must be a string, got number 5'],
    ["autoRemediation not a boolean", { ...globex, aws: { region: "us-east-1", autoRemediation: "yes" } }, 'tenants[1] (slug "globex"): aws.autoRemediation must be a boolean, got string "yes"'],
    ["aws: null", { ...globex, aws: null }, 'tenants[1] (slug "globex"): aws must be an object, got null; remove it for a tenant without an AWS role'],
    ["production not a boolean", { ...globex, production: "yes" }, 'tenants[1] (slug "globex"): production must be a boolean, got string "yes"'],
    ["a slug used twice", { ...globex, slug: "initech" }, 'tenants[1] (slug "initech"): slug is also used by tenants[0]'],
    ["an entry that is not a mapping", "globex", 'tenants[1] (no slug): must be a mapping of fields (slug, name, ownerEmail, plan, production, aws), got string "globex"'],
  ])("names the entry and the field for %s, and says nothing was changed", (_, bad, line) => {
    expect(problemsWith(bad)).toEqual([expect.stringContaining(line)]);
  });

  it("words a tenant's fields exactly as causeflow.Tenant's own check does", () => {
    const bad = { slug: "globex", name: " ", ownerEmail: "it-at-globex", plan: "gold" };
    const { failures } = checkTenant({}, bad);
    expect(failures).toHaveLength(3);
    expect(problemsWith(bad)).toEqual(failures.map(({ property, reason }) => `tenants[1] (slug "globex"): ${property} ${reason}`));
  });

  it("lists every invalid entry at once", () => {
    expect(() => parseFleet(stringify({ tenants: [{ ...initech, name: "" }, globex, { ...globex, slug: "g!" }] }), "t.yaml")).toThrow(
      /tenants\[0\] \(slug "initech"\): name must [^\n]+\n {2}tenants\[2\] \(slug "g!"\): slug must/,
    );
  });

  it.each([
    ["text that is not YAML", "tenants: [", /^t\.yaml is not valid YAML: /],
    ["a file without a tenants list", "slug: acme", /^t\.yaml must hold a "tenants" list, one entry per tenant/],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseFleet(text, "t.yaml")).toThrow(message);
  });

  it("accepts an empty fleet", () => {
    expect(parseFleet("tenants: []", "t.yaml")).toEqual([]);
  });
});

describe("fleetResourceOptions", () => {
  it("protects production entries only", () => {
    const [production, other] = parseFleet(stringify({ tenants: [acme, globex] }), "t.yaml");
    expect(fleetResourceOptions(production)).toEqual({ protect: true });
    expect(fleetResourceOptions(other)).toEqual({ protect: false });
  });
});

describe("the fleet program", () => {
  it("turns the committed tenants.yaml into exactly its tenants, the production one protected, and no AWS resources", async () => {
    const { registrations, byType, outputs } = await run(committedFleet);
    const entries = parseFleet(readFileSync(committedFleet, "utf8"), "tenants.yaml");
    const tenants = byType(TENANT);
    expect([...tenants.keys()]).toEqual(entries.map((entry) => entry.slug));
    for (const { production, aws, ...args } of entries) {
      expect(tenants.get(args.slug)!.inputs).toEqual({ ...args, __provider: expect.any(String) });
      expect(tenants.get(args.slug)!.protect).toBe(production);
    }
    expect(entries.filter((entry) => entry.production)).not.toHaveLength(0);
    expect(registrations.filter((r) => r.type !== TENANT)).toEqual([]);
    await expect(resolve(outputs.tenantIds["acme-corp"])).resolves.toBe("ten_acme-corp");
  });

  it("gives entries with aws their own role, linked to their tenant, and protects a production entry's role", async () => {
    const { registrations, byType, outputs } = await run(fleetFile([acme, globexWithRole, initech]), { [`${project}:causeflowPrincipalArn`]: "arn:aws:iam::210987654321:root" });
    expect([...byType("causeflow:aws:CauseflowAwsRole").keys()]).toEqual(["acme-corp", "globex"]);
    const tenants = byType(TENANT);
    expect(tenants.get("acme-corp")!.inputs.settings).toEqual({
      awsRoleArn: "arn:aws:iam::123456789012:role/acme-corp-role",
      awsExternalId: EXTERNAL_ID,
      awsRegion: "us-east-1",
      autoRemediation: true,
    });
    expect(tenants.get("acme-corp")!.secretPaths).toEqual(["settings.awsExternalId"]);
    expect(tenants.get("globex")!.inputs.settings).toMatchObject({ awsRegion: "eu-west-1", autoRemediation: false });
    expect(tenants.get("initech")!.inputs).not.toHaveProperty("settings");
    const roleResources = (slug: string) => registrations.filter((r) => r.type.startsWith("aws:") && r.name.startsWith(`${slug}-`));
    expect(roleResources("acme-corp").map((r) => r.name).sort()).toEqual(["acme-corp-read-only", "acme-corp-remediation", "acme-corp-role"]);
    expect(roleResources("acme-corp").every((r) => r.protect)).toBe(true);
    expect(roleResources("globex").map((r) => r.name).sort()).toEqual(["globex-read-only", "globex-role"]);
    expect(roleResources("globex").some((r) => r.protect)).toBe(false);
    expect(tenants.get("globex")!.dependencies).toEqual(expect.arrayContaining(roleResources("globex").map((r) => r.urn)));
    expect(Object.keys(outputs.roleArns)).toEqual(["acme-corp", "globex"]);
  });

  it("registers one more tenant, and nothing else different, for an added entry", async () => {
    const before = (await run(fleetFile([initech, globex]))).registrations;
    const after = (await run(fleetFile([initech, globex, { ...initech, slug: "hooli", name: "Hooli" }]))).registrations;
    expect(after.map((r) => r.name)).toEqual(["initech", "globex", "hooli"]);
    expect(after.slice(0, 2)).toEqual(before);
  });

  it("changes only the edited entry's tenant when one entry is edited", async () => {
    const before = (await run(fleetFile([initech, globex]))).byType(TENANT);
    const after = (await run(fleetFile([initech, { ...globex, name: "Globex Corporation" }]))).byType(TENANT);
    expect(after.get("initech")).toEqual(before.get("initech"));
    expect(after.get("globex")!.inputs).toEqual({ ...before.get("globex")!.inputs, name: "Globex Corporation" });
  });

  it("fails on a bad fleet file with the message naming the entry and the field", async () => {
    const file = fleetFile([initech, { ...globex, ownerEmail: undefined }], "bad.yaml");
    await expect(run(file)).rejects.toThrow(`${file}: fix these entries; nothing was created or changed:\n  tenants[1] (slug "globex"): ownerEmail is required`);
  });

  it("asks for CauseFlow's principal only when an entry has aws", async () => {
    await expect(run(fleetFile([initech, globexWithRole]))).rejects.toThrow(`${project}:causeflowPrincipalArn`);
  });
});

describe("the fleet program against the emulator, through the provider host", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  /** The steps `pulumi preview` (or `up`) takes for the tenants the program registers from `file`. */
  async function deploy(file: string, apply: boolean): Promise<Record<string, string>> {
    const tenants = (await run(file)).byType(TENANT);
    const steps: Record<string, string> = {};
    for (const [slug, tenant] of tenants) {
      const step = apply ? await stack.engine.up(tenant) : await stack.engine.preview(tenant);
      steps[slug] = [step.kind, ...step.changed].join(" ");
    }
    return steps;
  }

  it("creates every tenant of the committed file, then creates an added entry and updates only an edited one", async () => {
    expect(await deploy(committedFleet, true)).toEqual({ "acme-corp": "create", globex: "create", initech: "create" });
    expect(stack.emulator.store.all().map((t) => [t.slug, t.plan]).sort()).toEqual([["acme-corp", "pro"], ["globex", "starter"], ["initech", "business"]]);

    const entries = parseFleet(readFileSync(committedFleet, "utf8"), "tenants.yaml");
    const edited = fleetFile([...entries.map((e) => (e.slug === "globex" ? { ...e, name: "Globex Corporation" } : e)), { ...initech, slug: "hooli", name: "Hooli" }]);
    const plan = { "acme-corp": "same", globex: "update name", initech: "same", hooli: "create" };
    expect(await deploy(edited, false)).toEqual(plan);
    expect(await deploy(edited, true)).toEqual(plan);
    expect(stack.emulator.store.size).toBe(4);
    expect(stack.emulator.store.findBySlug("globex")?.name).toBe("Globex Corporation");
  });
});
