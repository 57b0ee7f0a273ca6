/**
 * The policy pack run as `pulumi preview --policy-pack policy` runs it, and driven over gRPC as
 * the engine drives it. Read from pulumi/pulumi v3.248.0:
 *
 * - Starting it. NewPolicyAnalyzer (sdk/go/common/resource/plugin/analyzer_plugin.go) finds the
 *   nodejs language host and starts the pack's folder through it (newPlugin in plugin.go: a folder
 *   with PulumiPolicy.yaml goes to the runtime's RunPlugin, kind "analyzer", args: the engine's
 *   address). The host's RunPlugin (sdk/nodejs/cmd/pulumi-language-nodejs/main.go) resolves
 *   `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder and runs
 *   `node <run-policy-pack> <engine address> <pack folder>` in that folder, with
 *   PULUMI_NODEJS_ORGANIZATION, _PROJECT, _STACK, _DRY_RUN and PULUMI_CONFIG taken from the stack's
 *   ConfigureStack call, which a proxy (sdk/policy_proxy.go) catches first, answering Handshake
 *   itself, and forwards to the pack once it prints its port. run-policy-pack drops the engine
 *   address (cmd/run-policy-pack/index.ts) and never calls the engine, so none runs here.
 *   Ours differs in one flag: `--require` of the lifeline, so the pack ends with the test.
 * - Configuring it. After GetAnalyzerInfo, the engine reconciles the config (pkg/engine/update.go,
 *   pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig): every policy at its own level
 *   with its schema's top-level defaults, then the `--policy-pack-config` file (`all` first), the
 *   result validated against each schema plus `enforcementLevel`; then Configure with all of it.
 * - Analyzing. Analyze per resource with its checked inputs, AnalyzeStack at the end with every
 *   resource's outputs (pkg/resource/deploy/step_generator.go), marshalled with unknowns and
 *   secrets kept and top-level internal keys (`__provider`) skipped.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import Ajv from "ajv";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { Registration } from "../../tools/engine-model/program";
import { REPO_ROOT } from "./repo";

export const PACK_DIR = path.join(REPO_ROOT, "policy");
const LIFELINE = path.join(path.dirname(require.resolve("@causeflow/pulumi/package.json")), "dist", "provider", "lifeline", "preload.js");

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: Record<Level, proto.EnforcementLevel> = {
  advisory: proto.EnforcementLevel.ADVISORY,
  mandatory: proto.EnforcementLevel.MANDATORY,
  remediate: proto.EnforcementLevel.REMEDIATE,
  disabled: proto.EnforcementLevel.DISABLED,
};
const levelName = (level: proto.EnforcementLevel) => (Object.keys(LEVELS) as Level[]).find((name) => LEVELS[name] === level)!;

/** What ConfigureStack tells the pack, and the language host its environment. */
export interface StackContext {
  organization: string;
  project: string;
  stack: string;
  dryRun: boolean;
}

export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: Level;
  type: "resource" | "stack";
  configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

export interface PackInfo {
  name: string;
  displayName: string;
  description: string;
  version: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
}

export interface PolicyConfig {
  enforcementLevel: Level;
  properties?: Record<string, unknown>;
}

export interface Diagnostic {
  policyName: string;
  enforcementLevel: Level;
  message: string;
  urn: string;
}

/**
 * Compiles the pack (its own `npm run build`: tsc into policy/bin) unless bin/ is newer than every
 * source. Test files run in parallel, so one builds at a time and the others find it built.
 */
export function ensurePackBuilt(): void {
  const lock = path.join(PACK_DIR, ".build-lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building. A lock left by a killed run is older than any build.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock} has been held for too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    const mtime = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const sources = [...readdirSync(PACK_DIR).filter((file) => file.endsWith(".ts")), "tsconfig.json"].map((file) => mtime(path.join(PACK_DIR, file)));
    const outputs = readdirSync(PACK_DIR).filter((file) => file.endsWith(".ts")).map((file) => mtime(path.join(PACK_DIR, "bin", file.replace(/\.ts$/, ".js"))));
    if (Math.min(...outputs) <= Math.max(...sources)) {
      execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", PACK_DIR], { stdio: "pipe" });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The command the nodejs language host runs for the pack in `packDir`, with the lifeline added. */
export function analyzerCommand(context: StackContext, packDir = PACK_DIR): { args: string[]; cwd: string; env: NodeJS.ProcessEnv } {
  // locateModule: require.resolve run in the pack's folder.
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  return {
    args: ["--require", LIFELINE, runPolicyPack, "127.0.0.1:0", packDir],
    cwd: packDir,
    env: {
      ...process.env,
      PULUMI_NODEJS_ORGANIZATION: context.organization,
      PULUMI_NODEJS_PROJECT: context.project,
      PULUMI_NODEJS_STACK: context.stack,
      PULUMI_NODEJS_DRY_RUN: String(context.dryRun),
      PULUMI_CONFIG: "{}",
    },
  };
}

export class Analyzer {
  private cachedInfo?: PackInfo;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    /** What the pack printed on stderr. */
    readonly stderr: string[],
  ) {}

  static async start(context: StackContext = { organization: "organization", project: "causeflow", stack: "dev", dryRun: true }, packDir = PACK_DIR): Promise<Analyzer> {
    const { args, cwd, env } = analyzerCommand(context, packDir);
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
    const port = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the policy pack exited with ${code} before serving:\n${stderr.join("\n")}`)));
      createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
    });
    const analyzer = new Analyzer(child, new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), stderr);
    const request = new proto.AnalyzerStackConfigureRequest()
      .setStack(context.stack)
      .setProject(context.project)
      .setOrganization(context.organization)
      .setDryRun(context.dryRun);
    await analyzer.call("configureStack", request);
    return analyzer;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async info(): Promise<PackInfo> {
    const info = await this.call<proto.AnalyzerInfo>("getAnalyzerInfo", new Empty());
    this.cachedInfo = {
      name: info.getName(),
      displayName: info.getDisplayname(),
      description: info.getDescription(),
      version: info.getVersion(),
      supportsConfig: info.getSupportsconfig(),
      policies: info.getPoliciesList().map((policy) => {
        const schema = policy.getConfigschema();
        return {
          name: policy.getName(),
          description: policy.getDescription(),
          enforcementLevel: levelName(policy.getEnforcementlevel()),
          type: policy.getPolicyType() === proto.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
          ...(schema && {
            configSchema: {
              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
              required: schema.getRequiredList(),
            },
          }),
        };
      }),
    };
    return this.cachedInfo;
  }

  /**
   * Configures the pack as the engine does for `--policy-pack-config <file>` with this content
   * (none: no file), and returns the config it sent. Throws, as the engine stops, on a config the
   * schemas refuse.
   */
  async configure(file?: Record<string, unknown>): Promise<Record<string, PolicyConfig>> {
    const info = this.cachedInfo ?? (await this.info());
    const config = reconcile(info.policies, parseConfigFile(file ?? {}));
    const request = new proto.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, properties }] of Object.entries(config)) {
      request.getPolicyconfigMap().set(name, new proto.PolicyConfig().setEnforcementlevel(LEVELS[enforcementLevel]).setProperties(Struct.fromJavaScript((properties ?? {}) as never)));
    }
    await this.call("configure", request);
    return config;
  }

  /**
   * Analyze, as the engine calls it for one registered resource: its inputs, its protect option.
   * The engine shows each diagnostic under that resource (analyze_snapshot.go: OnPolicyViolation(r.URN, d)).
   */
  async analyze(resource: Registration): Promise<Diagnostic[]> {
    const request = new proto.AnalyzeRequest()
      .setType(resource.type)
      .setUrn(resource.urn)
      .setName(resource.name)
      .setProperties(wire(resource))
      .setOptions(new proto.AnalyzerResourceOptions().setProtect(resource.protect));
    return diagnostics(await this.call<proto.AnalyzeResponse>("analyze", request)).map((d) => ({ ...d, urn: resource.urn }));
  }

  /** AnalyzeStack at the end of a preview: each resource with its inputs as its outputs, as a preview of creates has them. */
  async analyzeStack(resources: Registration[]): Promise<Diagnostic[]> {
    const request = new proto.AnalyzeStackRequest().setResourcesList(
      resources.map((resource) =>
        new proto.AnalyzerResource()
          .setType(resource.type)
          .setUrn(resource.urn)
          .setName(resource.name)
          .setProperties(wire(resource))
          .setOptions(new proto.AnalyzerResourceOptions().setProtect(resource.protect))
          .setDependenciesList(resource.dependencies),
      ),
    );
    return diagnostics(await this.call<proto.AnalyzeResponse>("analyzeStack", request));
  }

  /** Analyze for every resource, then AnalyzeStack, as a preview of these registrations calls them. */
  async preview(registrations: Registration[]): Promise<{ analyze: Diagnostic[]; analyzeStack: Diagnostic[] }> {
    const analyze: Diagnostic[] = [];
    for (const registration of registrations) analyze.push(...(await this.analyze(registration)));
    return { analyze, analyzeStack: await this.analyzeStack(registrations) };
  }

  /** Stops the pack, as the engine does when the operation ends. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill();
    await exited;
  }

  private call<Response>(method: string, request: unknown): Promise<Response> {
    return new Promise((resolve, reject) => {
      (this.client as unknown as Record<string, Function>)[method](request, (error: grpc.ServiceError | null, response: Response) =>
        error ? reject(new Error(`${method}: ${error.details || error.message}`)) : resolve(response),
      );
    });
  }
}

/** A test file's pack: built if need be and started before its tests, stopped after them. */
export function analyzerForThisFile(): () => Analyzer {
  let analyzer: Analyzer | undefined;
  beforeAll(async () => {
    ensurePackBuilt();
    analyzer = await Analyzer.start();
  }, 120_000);
  afterAll(() => analyzer?.close());
  return () => analyzer!;
}

/** Each diagnostic as `<level> <policy> <resource name>`. */
export const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName} ${d.urn.split("::").pop()}`);

/**
 * A registration's properties as the engine marshals them for the analyzer: top-level internal
 * keys skipped, unknowns as their sentinels, and secrets (stripped by runProgram for the dynamic
 * host, or kept) as secret values.
 */
function wire({ inputs, secretPaths }: Registration): Struct {
  const properties = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(inputs).filter(([key]) => !key.startsWith("__")))));
  for (const secretPath of secretPaths) {
    const keys = secretPath.split(".");
    const last = keys.pop()!;
    const parent = keys.reduce((object, key) => object?.[key], properties);
    if (parent?.[last] !== undefined && parent[last]?.[specialSigKey] !== specialSecretSig) {
      parent[last] = { [specialSigKey]: specialSecretSig, value: parent[last] };
    }
  }
  return Struct.fromJavaScript(properties);
}

function diagnostics(response: proto.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    enforcementLevel: levelName(d.getEnforcementlevel()),
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

/** A `--policy-pack-config` file as parsePolicyPackConfig reads it: a level, or an object with an optional level. */
function parseConfigFile(file: Record<string, unknown>): Record<string, Partial<PolicyConfig>> {
  const parsed: Record<string, Partial<PolicyConfig>> = {};
  for (const [name, value] of Object.entries(file)) {
    if (typeof value === "string") parsed[name] = { enforcementLevel: value as Level };
    else {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      parsed[name] = { enforcementLevel: enforcementLevel as Level | undefined, ...(Object.keys(properties).length > 0 && { properties }) };
    }
  }
  return parsed;
}

/** ReconcilePolicyPackConfig, for a pack without initial config: defaults, then the file, then validation. */
function reconcile(policies: PolicyInfo[], file: Record<string, Partial<PolicyConfig>>): Record<string, PolicyConfig> {
  const result: Record<string, PolicyConfig> = {};
  for (const policy of policies) {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).filter(([, schema]) => "default" in schema);
    result[policy.name] = {
      enforcementLevel: policy.enforcementLevel,
      ...(defaults.length > 0 && { properties: Object.fromEntries(defaults.map(([key, schema]) => [key, schema.default])) }),
    };
  }
  const all = file.all?.enforcementLevel;
  if (all !== undefined) for (const name of Object.keys(result)) result[name] = { ...result[name], enforcementLevel: all };
  for (const [name, given] of Object.entries(file)) {
    const current = result[name] ?? ({} as PolicyConfig);
    result[name] = {
      enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
      ...((current.properties || given.properties) && { properties: { ...current.properties, ...given.properties } }),
    };
  }
  const errors: string[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const policy of policies) {
    const schema = {
      type: "object",
      properties: { ...policy.configSchema?.properties, enforcementLevel: { type: "string", enum: Object.keys(LEVELS) } },
      ...(policy.configSchema?.required.length && { required: policy.configSchema.required }),
    };
    const validate = ajv.compile(schema);
    if (!validate(result[policy.name].properties ?? {})) {
      errors.push(...validate.errors!.map((error) => `${policy.name}: ${error.instancePath} ${error.message}`));
    }
  }
  if (errors.length > 0) throw new Error(`validating policy config: ${errors.sort().join("; ")}`);
  return result;
}
