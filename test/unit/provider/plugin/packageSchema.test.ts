import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { PACKAGE_NAME, SETTINGS, SETTING_NAMES } from "../../../../provider/core/config";
import { diffTenant } from "../../../../provider/core/decisions";
import { DEFAULT_PLAN, GET_TENANT, GET_TENANT_LOOKUPS, PLANS, PLUGIN_TENANT_TYPE, REPLACING_INPUTS, SETTING_KEYS } from "../../../../provider/core/tenantRules";
import { packageSchema, type PackageSpec, type PropertySpec } from "../../../../provider/plugin/packageSchema";
import { SCHEMA_FILE, schemaText } from "../../../../tools/schema";
import {
  TENANT_OUTPUT_DESCRIPTIONS,
  TENANT_OUTPUT_KEYS,
  settingsSchema,
  tenantInputsSchema,
  type TenantOutputs,
} from "../../../../provider/core/tenantSchema";
import { FIXTURES, REPO_ROOT } from "../../../support/repo";

/** Pulumi's metaschema, vendored; the reference copy beside the repository, where there is one. */
const METASCHEMA = path.join(FIXTURES, "package-metaschema.json");
const REFERENCE_METASCHEMA = path.join(REPO_ROOT, "..", "shared", "pulumi", "package-metaschema.json");
const { version: PACKAGE_VERSION } = require(path.join(REPO_ROOT, "package.json")) as { version: string };

const schema = packageSchema(PACKAGE_VERSION);
const tenant = schema.resources[PLUGIN_TENANT_TYPE]!;
const getTenant = schema.functions[GET_TENANT]!;
const SETTINGS_TYPE = `${PACKAGE_NAME}:index:TenantSettings`;
const PLAN_TYPE = `${PACKAGE_NAME}:index:Plan`;
const settingsType = schema.types[SETTINGS_TYPE] as { properties: Record<string, PropertySpec> };
const sorted = (values: Iterable<string>) => [...values].sort();

// Compile-time checks: the runtime lists must be TenantOutputs' keys, and its optional ones.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
const OPTIONAL_OUTPUTS = ["ownerEmail", "settings"] as const;
const outputKeysAreTheInterface: Equal<(typeof TENANT_OUTPUT_KEYS)[number], keyof TenantOutputs> = true;
const optionalOutputsAreTheInterface: Equal<(typeof OPTIONAL_OUTPUTS)[number], OptionalKeys<TenantOutputs>> = true;

/** Every property map in the schema, by where it is. */
function propertyMaps(spec: PackageSpec): [string, Record<string, PropertySpec>][] {
  return [
    ["config.variables", spec.config.variables],
    ["provider.inputProperties", spec.provider.inputProperties],
    ...Object.entries(spec.types).flatMap(([token, type]): [string, Record<string, PropertySpec>][] =>
      "properties" in type ? [[`types.${token}.properties`, type.properties]] : [],
    ),
    ...Object.entries(spec.resources).flatMap(([token, resource]): [string, Record<string, PropertySpec>][] => [
      [`resources.${token}.inputProperties`, resource.inputProperties],
      [`resources.${token}.properties`, resource.properties],
    ]),
    ...Object.entries(spec.functions).flatMap(([token, fn]): [string, Record<string, PropertySpec>][] => [
      [`functions.${token}.inputs`, fn.inputs.properties],
      [`functions.${token}.outputs`, fn.outputs.properties],
    ]),
  ];
}

/** Every property, as `where.name`, with its spec. */
const allProperties = (spec: PackageSpec) =>
  propertyMaps(spec).flatMap(([where, map]) => Object.entries(map).map(([name, property]) => [`${where}.${name}`, property] as const));

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref") found.push(item as string);
      else refsIn(item, found);
    }
  }
  return found;
}

describe("the package schema against Pulumi's metaschema", () => {
  (existsSync(REFERENCE_METASCHEMA) ? it : it.skip)("validates with a copy that is still the reference's", () => {
    expect(readFileSync(METASCHEMA, "utf8")).toBe(readFileSync(REFERENCE_METASCHEMA, "utf8"));
  });
  const validators = () => {
    const metaschema = JSON.parse(readFileSync(METASCHEMA, "utf8"));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const pkg = ajv.compile(metaschema);
    // The metaschema takes `language` as any object; its languageSpec describes each language's section.
    const language = ajv.compile({ $ref: `${metaschema.$id}#/$defs/languageSpec` });
    return { pkg, language };
  };

  it("validates, language sections included", () => {
    const { pkg, language } = validators();
    expect(pkg(schema) ? [] : pkg.errors).toEqual([]);
    expect(language(schema.language) ? [] : language.errors).toEqual([]);
  });

  it("is checked for real: a version that is not semver, or a bad token, fails", () => {
    const { pkg } = validators();
    expect(pkg(packageSchema("latest"))).toBe(false);
    expect(pkg({ ...schema, resources: { "causeflow:index:9Tenant": tenant } })).toBe(false);
  });
});

describe("the package schema's consistency", () => {
  it("refers only to types it defines", () => {
    const refs = refsIn(schema);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/types\//);
      expect(Object.keys(schema.types)).toContain(ref.slice("#/types/".length));
    }
  });

  it("requires only properties it has", () => {
    const requirements: [string[] | undefined, Record<string, PropertySpec>][] = [
      [tenant.requiredInputs, tenant.inputProperties],
      [tenant.required, tenant.properties],
      [getTenant.inputs.required, getTenant.inputs.properties],
      [getTenant.outputs.required, getTenant.outputs.properties],
      ...Object.values(schema.types).map((type): [string[] | undefined, Record<string, PropertySpec>] =>
        "properties" in type ? [type.required, type.properties] : [[], {}],
      ),
    ];
    for (const [required, properties] of requirements) {
      for (const name of required ?? []) expect(Object.keys(properties)).toContain(name);
    }
  });

  it("describes the package, the provider, the resource, every type, the function and every property", () => {
    const described: [string, string | undefined][] = [
      ["package", schema.description],
      ["provider", schema.provider.description],
      [PLUGIN_TENANT_TYPE, tenant.description],
      [GET_TENANT, getTenant.description],
      ...Object.entries(schema.types).map(([token, type]): [string, string | undefined] => [token, type.description]),
      ...allProperties(schema).map(([where, property]): [string, string | undefined] => [where, property.description]),
    ];
    const undescribed = described.filter(([, description]) => typeof description !== "string" || description.trim() === "").map(([where]) => where);
    expect(undescribed).toEqual([]);
  });

  it("names the package causeflow, with the version it was given", () => {
    expect(schema.name).toBe("causeflow");
    expect(schema.name).toBe(PACKAGE_NAME);
    expect(packageSchema("1.2.3-beta.1").version).toBe("1.2.3-beta.1");
    expect(schema.version).toBe(PACKAGE_VERSION);
  });

  it("sends the CLI for the plugin to this repository's GitHub releases, unless a build names a mirror", () => {
    const { url } = (require(path.join(REPO_ROOT, "package.json")) as { repository: { url: string } }).repository;
    const [, ownerAndRepository] = /github\.com\/(.+?)(\.git)?$/.exec(url)!;
    expect(schema.pluginDownloadURL).toBe(`github://api.github.com/${ownerAndRepository}`);
    expect(packageSchema(PACKAGE_VERSION, "https://mirror.example/causeflow").pluginDownloadURL).toBe("https://mirror.example/causeflow");
  });

  it("shows a logo the repository holds, as a PNG (NuGet takes no SVG), at its raw GitHub address", () => {
    const [, file] = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/main\/(.+)$/.exec(schema.logoUrl)!;
    expect(readFileSync(path.join(REPO_ROOT, file)).subarray(0, 8).toString("latin1")).toBe("\x89PNG\r\n\x1a\n");
  });

  it("survives JSON unchanged, as GetSchema sends it", () => {
    expect(JSON.parse(JSON.stringify(packageSchema(PACKAGE_VERSION)))).toStrictEqual(schema);
  });
});

describe("the Tenant resource, against provider/core/tenantSchema.ts", () => {
  it("has tenantInputsSchema's keys as inputs, described as there", () => {
    const keys = Object.keys(tenantInputsSchema.shape);
    expect(Object.keys(tenant.inputProperties)).toEqual(keys);
    for (const key of keys) {
      const field = tenantInputsSchema.shape[key as keyof typeof tenantInputsSchema.shape];
      expect(tenant.inputProperties[key]!.description).toBe(field.description);
    }
  });

  it("requires the inputs that zod requires", () => {
    const required = Object.entries(tenantInputsSchema.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([key]) => key);
    expect(required).toEqual(["name", "slug", "ownerEmail"]);
    expect(tenant.requiredInputs).toEqual(required);
  });

  it("takes plan as the Plan enum, whose values are PLANS, defaulting to DEFAULT_PLAN", () => {
    expect(tenant.inputProperties.plan).toMatchObject({ $ref: `#/types/${PLAN_TYPE}`, default: DEFAULT_PLAN });
    expect(schema.types[PLAN_TYPE]).toMatchObject({ type: "string" });
    expect((schema.types[PLAN_TYPE] as { enum: { value: string }[] }).enum.map((entry) => entry.value)).toEqual([...PLANS]);
  });

  it("takes settings as the TenantSettings type, whose properties are SETTING_KEYS, described as in settingsSchema", () => {
    expect(tenant.inputProperties.settings!.$ref).toBe(`#/types/${SETTINGS_TYPE}`);
    expect(schema.types[SETTINGS_TYPE]).toMatchObject({ type: "object" });
    expect(Object.keys(settingsType.properties)).toEqual([...SETTING_KEYS]);
    for (const key of SETTING_KEYS) expect(settingsType.properties[key]!.description).toBe(settingsSchema.shape[key].description);
    expect(settingsType.properties).toMatchObject({
      awsRoleArn: { type: "string" },
      awsExternalId: { type: "string" },
      awsRegion: { type: "string" },
      autoRemediation: { type: "boolean" },
    });
  });

  it("has adoptExisting as a boolean input, and not as an output", () => {
    expect(tenant.inputProperties.adoptExisting).toMatchObject({ type: "boolean" });
    expect(tenant.properties).not.toHaveProperty("adoptExisting");
  });

  it("has TenantOutputs' keys as outputs, required unless the interface makes them optional", () => {
    expect(outputKeysAreTheInterface).toBe(true);
    expect(optionalOutputsAreTheInterface).toBe(true);
    expect(new Set(TENANT_OUTPUT_KEYS).size).toBe(TENANT_OUTPUT_KEYS.length);
    expect(sorted(Object.keys(tenant.properties))).toEqual(sorted(TENANT_OUTPUT_KEYS));
    expect(sorted(tenant.required ?? [])).toEqual(sorted(TENANT_OUTPUT_KEYS.filter((key) => !(OPTIONAL_OUTPUTS as readonly string[]).includes(key))));
    expect(tenant.required).not.toContain("ownerEmail");
  });

  it("reports plan as any string, tenantId, status and createdAt as strings, settings as the same type", () => {
    expect(tenant.properties.plan).toEqual({ type: "string", description: TENANT_OUTPUT_DESCRIPTIONS.plan });
    for (const key of ["tenantId", "status", "createdAt", "ownerEmail", "name", "slug"]) expect(tenant.properties[key]!.type).toBe("string");
    expect(tenant.properties.settings!.$ref).toBe(`#/types/${SETTINGS_TYPE}`);
  });

  it("describes outputs from TENANT_OUTPUT_DESCRIPTIONS, else as their inputs", () => {
    for (const key of TENANT_OUTPUT_KEYS) {
      const expected = (TENANT_OUTPUT_DESCRIPTIONS as Record<string, string>)[key] ?? tenant.inputProperties[key]!.description;
      expect([key, tenant.properties[key]!.description]).toEqual([key, expected]);
    }
  });

  it("marks slug, and only slug, as replacing: REPLACING_INPUTS, which diffTenant replaces on", () => {
    const replacing = allProperties(schema).filter(([, property]) => property.willReplaceOnChanges).map(([where]) => where);
    expect(replacing).toEqual([`resources.${PLUGIN_TENANT_TYPE}.inputProperties.slug`]);
    expect([...REPLACING_INPUTS]).toEqual(["slug"]);
    const olds = { name: "Acme", slug: "acme", ownerEmail: "owner@acme.com", plan: "starter", settings: { awsRegion: "us-east-1" }, adoptExisting: false };
    const changed: Record<string, unknown> = { name: "Acme 2", slug: "acme-2", ownerEmail: "other@acme.com", plan: "pro", settings: { awsRegion: "eu-west-1" }, adoptExisting: true };
    for (const key of Object.keys(tenant.inputProperties)) {
      const replaces = diffTenant(olds, { ...olds, [key]: changed[key] }).replaces.includes(key);
      expect([key, replaces]).toEqual([key, tenant.inputProperties[key]!.willReplaceOnChanges === true]);
    }
  });

  it("keeps awsExternalId, and only it among the settings, secret; the API token is the only other secret", () => {
    const secrets = allProperties(schema).filter(([, property]) => property.secret).map(([where]) => where);
    expect(sorted(secrets)).toEqual(
      sorted([`types.${SETTINGS_TYPE}.properties.awsExternalId`, "config.variables.apiToken", "provider.inputProperties.apiToken"]),
    );
  });

  it("states in words the rules zod checks and the lifecycle the API imposes", () => {
    expect(tenant.inputProperties.slug!.description).toContain("lowercase letters, digits and hyphens");
    expect(settingsType.properties.awsExternalId!.description).toContain("2 to 1224 characters");
    expect(settingsType.properties.awsRoleArn!.description).toContain("12-digit account ID");
    expect(tenant.description).toContain("Changing `slug` replaces it");
    expect(tenant.description).toContain("`ownerEmail` and `plan` cannot change");
    expect(tenant.description).toContain("cannot delete tenants");
    expect(tenant.description).toContain("`protect`");
    expect(tenant.description).toContain(`pulumi import ${PLUGIN_TENANT_TYPE} <name> <tenantId>`);
  });
});

describe("the getTenant function", () => {
  it("takes a tenantId or a slug, neither required on its own", () => {
    expect(Object.keys(getTenant.inputs.properties)).toEqual([...GET_TENANT_LOOKUPS]);
    expect(getTenant.inputs.properties).toMatchObject({ tenantId: { type: "string" }, slug: { type: "string" } });
    expect(getTenant.inputs.required ?? []).toEqual([]);
    expect(getTenant.description).toContain("exactly one of `tenantId` and `slug`");
  });

  it("returns the tenant as CauseFlow reports it, settings as the same type", () => {
    expect(Object.keys(getTenant.outputs.properties)).toEqual(["tenantId", "name", "slug", "plan", "status", "createdAt", "settings"]);
    expect(getTenant.outputs.required).toEqual(["tenantId", "name", "slug", "plan", "status", "createdAt"]);
    expect(getTenant.outputs.properties.settings!.$ref).toBe(`#/types/${SETTINGS_TYPE}`);
    expect(getTenant.outputs.properties.plan).toEqual(tenant.properties.plan);
  });
});

describe("the provider's configuration, against SETTINGS", () => {
  const entries: [string, Record<string, PropertySpec>, boolean][] = [
    ["config.variables", schema.config.variables, true],
    ["provider.inputProperties", schema.provider.inputProperties, false],
  ];

  it.each(entries)("%s has one entry per setting, with its type, default, secrecy and environment variable", (_where, variables, fromEnvironment) => {
    expect(Object.keys(variables)).toEqual(SETTING_NAMES);
    for (const name of SETTING_NAMES) {
      const setting: { type: string; env: string; default?: unknown; secret?: boolean; description: string } = SETTINGS[name];
      const variable = variables[name]!;
      // defaultInfo on a provider input would make generated SDKs read the environment for explicit providers too.
      expect([name, variable.type, variable.default, variable.secret === true, variable.defaultInfo]).toEqual([
        name,
        setting.type,
        setting.default,
        setting.secret === true,
        fromEnvironment ? { environment: [setting.env] } : undefined,
      ]);
      expect(variable.description).toContain(setting.description);
      expect(variable.description).toContain(setting.env);
    }
  });

  it("requires no setting of an explicit provider: previews need no token", () => {
    expect(schema.provider.requiredInputs ?? []).toEqual([]);
  });
});

it("never loads the metaschema at run time", () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith(".ts") ? [path.join(dir, entry.name)] : [],
    );
  const loading = sources(path.join(REPO_ROOT, "provider")).filter((file) => /package-metaschema|shared\/pulumi/.test(readFileSync(file, "utf8")));
  expect(loading).toEqual([]);
});

describe("the committed schema.json", () => {
  it("is the schema the plugin serves, byte for byte: `npm run schema` rewrites it", () => {
    const committed = readFileSync(path.join(REPO_ROOT, SCHEMA_FILE), "utf8");
    expect(committed).toBe(schemaText());
  });
});
