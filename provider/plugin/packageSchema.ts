/**
 * The `causeflow` plugin's Pulumi package schema, which GetSchema returns as JSON and from which
 * the SDKs and the API docs are generated. Nothing here is typed or described a second time: the
 * tenant's fields, their types and descriptions come from provider/core/tenantSchema.ts (through
 * zod's JSON Schema), the provider's settings from provider/core/config.ts. What Pulumi's schema
 * has no place for, such as the patterns zod checks, the descriptions state in words.
 */
import { z } from "zod";
import { PACKAGE_NAME, SETTINGS, SETTING_NAMES, stackKey, type SettingName } from "../core/config";
import { GET_TENANT, GET_TENANT_LOOKUPS, PLUGIN_TENANT_TYPE, REPLACING_INPUTS, SECRET_SETTINGS } from "../core/tenantRules";
import { TENANT_OUTPUT_DESCRIPTIONS, TENANT_OUTPUT_KEYS, apiTenantSchema, settingsSchema, tenantInputsSchema } from "../core/tenantSchema";
import { LOGO_URL, PLUGIN_DOWNLOAD_URL, REPOSITORY_URL } from "../packageInfo";


type Primitive = "string" | "number" | "integer" | "boolean";

/** Pulumi's propertySpec, as far as this package uses it. */
export interface PropertySpec {
  type?: Primitive;
  $ref?: string;
  description?: string;
  default?: string | number | boolean;
  defaultInfo?: { environment: string[] };
  secret?: boolean;
  willReplaceOnChanges?: boolean;
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface EnumTypeSpec {
  type: Primitive;
  description?: string;
  enum: { value: string | number | boolean; description?: string }[];
}

export interface ResourceSpec extends Omit<ObjectTypeSpec, "type"> {
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
}

export interface FunctionSpec {
  description: string;
  inputs: Omit<ObjectTypeSpec, "type">;
  outputs: Omit<ObjectTypeSpec, "type">;
}

export interface PackageSpec {
  name: string;
  version: string;
  displayName: string;
  description: string;
  keywords: string[];
  homepage: string;
  repository: string;
  publisher: string;
  license: string;
  logoUrl: string;
  pluginDownloadURL: string;
  meta: { supportPack: boolean };
  config: { variables: Record<string, PropertySpec> };
  provider: Omit<ResourceSpec, "properties">;
  types: Record<string, ObjectTypeSpec | EnumTypeSpec>;
  resources: Record<string, ResourceSpec>;
  functions: Record<string, FunctionSpec>;
  language: Record<string, Record<string, unknown>>;
}

/** zod's JSON Schema (2020-12), as far as the tenant's schemas produce it. */
interface JsonSchema {
  type?: string;
  description?: string;
  default?: string | number | boolean;
  enum?: (string | number | boolean)[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $defs?: Record<string, JsonSchema>;
}

/** Markdown code, and a list of it: `tenantId` and `slug`. */
const code = (text: string) => `\`${text}\``;
const list = (keys: readonly string[]) => keys.map(code).join(", ").replace(/, ([^,]*)$/, " and $1");

const PRIMITIVES: readonly string[] = ["string", "number", "integer", "boolean"] satisfies Primitive[];

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: "throw" }) as JsonSchema;
}

/** A token in the package's one module: `causeflow:index:Tenant`; a named type's from its zod schema's `id`. */
function token(id: string): string {
  return `${PACKAGE_NAME}:index:${id}`;
}

function primitive(json: JsonSchema, where: string): Primitive {
  if (json.type !== undefined && PRIMITIVES.includes(json.type) && json.enum === undefined) return json.type as Primitive;
  throw new Error(
    `${where}: Pulumi has no unnamed type for ${JSON.stringify(json)}; give an object or enum schema an id (.meta({ id })) to make it a named type`,
  );
}

/**
 * A zod property as a Pulumi property: a primitive, or a reference to a named type (zod's `$defs`
 * are the schema's `types`), with its description and default. Patterns and formats are dropped.
 */
function property(json: JsonSchema, where: string): PropertySpec {
  const spec: PropertySpec = {};
  if (json.$ref !== undefined) {
    const id = /^#\/\$defs\/(.+)$/.exec(json.$ref)?.[1];
    if (id === undefined) throw new Error(`${where}: cannot refer to ${json.$ref}`);
    spec.$ref = `#/types/${token(id)}`;
  } else spec.type = primitive(json, where);
  if (json.description !== undefined) spec.description = json.description;
  if (json.default !== undefined) spec.default = json.default;
  return spec;
}

function properties(json: JsonSchema, where: string, extra: (key: string) => PropertySpec = () => ({})): Record<string, PropertySpec> {
  return Object.fromEntries(Object.entries(json.properties ?? {}).map(([key, value]) => [key, { ...property(value, `${where}.${key}`), ...extra(key) }]));
}

/** Properties of named types (by their zod `id`) that are secret wherever the type is used. */
const SECRET_PROPERTIES = new Map<unknown, readonly string[]>([[settingsSchema.meta()?.id, SECRET_SETTINGS]]);
const secretIn = (id: string) => (key: string) => (SECRET_PROPERTIES.get(id)?.includes(key) ? { secret: true } : {});

/** zod's `$defs` as Pulumi's object and enum types. */
function namedTypes(defs: Record<string, JsonSchema>): PackageSpec["types"] {
  const types: PackageSpec["types"] = {};
  for (const [id, json] of Object.entries(defs)) {
    const described = json.description === undefined ? {} : { description: json.description };
    if (json.enum !== undefined) {
      const type = primitive({ type: json.type }, id);
      types[token(id)] = { type, ...described, enum: json.enum.map((value) => ({ value })) };
    } else if (json.type === "object") {
      const required = json.required === undefined || json.required.length === 0 ? {} : { required: json.required };
      types[token(id)] = { type: "object", ...described, properties: properties(json, id, secretIn(id)), ...required };
    } else throw new Error(`${id}: a named type must be an object or an enum`);
  }
  return types;
}

const inputs = jsonSchema(tenantInputsSchema, "input");
const reported = jsonSchema(apiTenantSchema, "output");

/**
 * An output: typed as the API reports it where the API reports a primitive (`plan` is any string:
 * the API has used labels beyond the four a program may declare), else as the program declares it
 * (`settings`, and `ownerEmail`, which the API never returns). Described by
 * TENANT_OUTPUT_DESCRIPTIONS where an output means more than its input.
 */
function outputProperty(key: string): PropertySpec {
  const api = reported.properties?.[key];
  const input = inputs.properties?.[key];
  const { default: _inputsOnly, ...declared } = input === undefined ? ({} as PropertySpec) : property(input, `outputs.${key}`);
  const base = api !== undefined && api.type !== undefined && PRIMITIVES.includes(api.type) ? { type: primitive(api, `outputs.${key}`) } : declared;
  const description = (TENANT_OUTPUT_DESCRIPTIONS as Record<string, string>)[key] ?? input?.description;
  if (base.type === undefined && base.$ref === undefined) throw new Error(`outputs.${key}: neither the API nor the inputs say what it is`);
  return { ...base, ...(description === undefined ? {} : { description }) };
}

function outputs(keys: readonly string[]): Omit<ObjectTypeSpec, "type"> {
  // An output is always set when the API always reports it; ownerEmail and settings may be absent.
  const required = keys.filter((key) => reported.required?.includes(key));
  return { properties: Object.fromEntries(keys.map((key) => [key, outputProperty(key)])), required };
}

/**
 * A provider setting as Pulumi's config variable or provider input: its type, default, secrecy,
 * and, for config variables only, its environment variable as `defaultInfo`. Generated SDKs read
 * a provider input's `defaultInfo` from the program's environment, for explicit providers too,
 * and an explicit provider must get only what the program gave it.
 */
function setting(name: SettingName, environment: Environment, defaultInfo: boolean): PropertySpec {
  const { type, env, description, ...rest } = SETTINGS[name];
  const fallback: string | number | boolean | undefined = "default" in rest ? rest.default : undefined;
  const secret = "secret" in rest && rest.secret;
  const defaulted = fallback === undefined ? "" : ` Defaults to ${code(String(fallback))}.`;
  return {
    type,
    description: `${description}${defaulted} ${environment(code(env), code(stackKey(name)))}`,
    ...(fallback === undefined ? {} : { default: fallback }),
    ...(defaultInfo ? { defaultInfo: { environment: [env] } } : {}),
    ...(secret ? { secret: true } : {}),
  };
}

/** The sentence on a setting's environment variable, given the variable and the stack config key, as code. */
type Environment = (env: string, key: string) => string;

function settings(environment: Environment, defaultInfo: boolean): Record<string, PropertySpec> {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, setting(name, environment, defaultInfo)]));
}

const TENANT_DESCRIPTION = [
  "A CauseFlow tenant: an isolated organization in CauseFlow, with its owner, its plan and its AWS integration.",
  `Changing \`name\` or a setting updates the tenant in place. Changing ${list(REPLACING_INPUTS)} replaces it: a new tenant is ` +
    "created, and the old one stays in CauseFlow, no longer managed by the stack. `ownerEmail` and `plan` cannot change once the " +
    "tenant exists, because the CauseFlow API cannot change them.",
  "Deleting the resource only removes it from the stack: the CauseFlow API cannot delete tenants, so the tenant stays in CauseFlow " +
    "until it is suspended or removed from the CauseFlow dashboard. Protect production tenants with the `protect` resource option.",
  `A tenant made outside the stack can be brought under management with \`adoptExisting\`, or imported by its ID; an imported ` +
    "tenant has no `ownerEmail` output, since the API never returns it.",
  `## Import\n\n\`\`\`sh\n$ pulumi import ${PLUGIN_TENANT_TYPE} <name> <tenantId>\n\`\`\``,
].join("\n\n");

const GET_TENANT_DESCRIPTION =
  `Looks up an existing CauseFlow tenant by its ID or by its slug: give exactly one of ${list(GET_TENANT_LOOKUPS)}. The result is ` +
  "the tenant as CauseFlow reports it, with every AWS setting CauseFlow has for it (the external ID as a secret), and no owner " +
  "email, which the API never returns.";

const LOOKUP_DESCRIPTIONS: Record<(typeof GET_TENANT_LOOKUPS)[number], string> = {
  tenantId: "The ID of the tenant to look up, such as a Tenant's `tenantId` output.",
  slug: "The slug of the tenant to look up: lowercase letters, digits and hyphens, such as `acme-corp`.",
};

/**
 * The package schema, for the plugin of this version (package.json's), downloaded by the CLI from
 * `pluginDownloadURL` when a program's SDK needs it and it is not installed. A plain JSON value.
 */
export function packageSchema(version: string, pluginDownloadURL: string = PLUGIN_DOWNLOAD_URL): PackageSpec {
  const tenantOutputs = outputs(TENANT_OUTPUT_KEYS);
  return {
    name: PACKAGE_NAME,
    version,
    displayName: "CauseFlow",
    description: "Manage CauseFlow tenants (isolated organizations, with their owner, plan and AWS integration) with Pulumi.",
    keywords: ["pulumi", "causeflow", "tenants", "category/utility", "kind/native"],
    homepage: REPOSITORY_URL,
    repository: REPOSITORY_URL,
    publisher: "CauseFlow",
    license: "Apache-2.0",
    logoUrl: LOGO_URL,
    pluginDownloadURL,
    // Generated SDKs as packages of their own: each carries the schema's version and, in Go, a go.mod.
    meta: { supportPack: true },
    config: { variables: settings((env, key) => `When ${key} is not set, the default provider reads the ${env} environment variable.`, true) },
    provider: {
      description:
        "The provider for CauseFlow tenants. The default provider is configured by the stack's `causeflow:` configuration, and " +
        "only it falls back to the `CAUSEFLOW_*` environment variables; an explicit provider is configured by its inputs.",
      inputProperties: settings((env, key) => `The default provider reads the ${env} environment variable when ${key} is not set; an explicit provider never does.`, false),
    },
    types: namedTypes(inputs.$defs ?? {}),
    resources: {
      [PLUGIN_TENANT_TYPE]: {
        description: TENANT_DESCRIPTION,
        inputProperties: properties(inputs, "inputs", (key) =>
          (REPLACING_INPUTS as readonly string[]).includes(key) ? { willReplaceOnChanges: true } : {},
        ),
        requiredInputs: inputs.required ?? [],
        ...tenantOutputs,
      },
    },
    functions: {
      [GET_TENANT]: {
        description: GET_TENANT_DESCRIPTION,
        inputs: {
          properties: Object.fromEntries(
            GET_TENANT_LOOKUPS.map((key) => [
              key,
              { type: "string", description: `${LOOKUP_DESCRIPTIONS[key]} Give exactly one of ${list(GET_TENANT_LOOKUPS)}.` },
            ]),
          ),
        },
        outputs: outputs(Object.keys(reported.properties ?? {})),
      },
    },
    language: {
      // `@causeflow/pulumi` is this package, whose main export is the dynamic Tenant: the SDK
      // generated from this schema is another package, which talks to the `causeflow` plugin.
      nodejs: { packageName: "@causeflow/pulumi-causeflow" },
      python: { packageName: "pulumi_causeflow", pyproject: { enabled: true } },
      go: { importBasePath: `${REPOSITORY_URL.replace(/^https:\/\//, "")}/sdk/go/causeflow`, respectSchemaVersion: true },
      // Java package ai.causeflow.causeflow: the base package, then the package's name. The
      // generator's own Pulumi requirement is 1.0.0; this is the release the SDK is compiled against.
      java: { basePackage: "ai.causeflow", dependencies: { "com.pulumi:pulumi": "1.36.1" } },
      // No C# settings: the default namespace, Pulumi.Causeflow. Under CauseFlow.CauseFlow the .NET
      // generator's fully qualified enum types would resolve against the inner CauseFlow and not compile.
    },
  };
}
