/**
 * A resource provider started and called over gRPC exactly as the engine does, without the
 * Pulumi CLI: the dynamic-provider host that `pulumi up` launches for `causeflow.Tenant`
 * (`@pulumi/pulumi/cmd/dynamic-provider`), or the `causeflow` plugin, through its bin or its
 * PulumiPlugin.yaml folder, beside a small engine that records the plugin's Log calls.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import * as path from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { toStruct } from "../../provider/plugin/wire";
import type { Props } from "../../provider/core/tenantRules";
import { PACKAGE_ROOT } from "../packageRoot";


export interface HostOptions {
  /** The Pulumi program's directory: the host resolves `require()` in `__provider` from here. */
  cwd: string;
  project?: string;
  env?: NodeJS.ProcessEnv;
}

export interface PluginOptions {
  /** The Pulumi program's directory, where the engine starts plugins. */
  cwd: string;
  /** Through package.json's `bin`, through the PulumiPlugin.yaml folder (as the nodejs language host runs it), or an executable of `npm run build:plugin`. */
  via?: "bin" | "run-plugin" | { executable: string };
  env?: NodeJS.ProcessEnv;
}

/** A `Log` call the plugin made to the engine. */
export interface LogEntry {
  severity: number;
  message: string;
  urn: string;
}

export interface DiffAnswer {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  /** Top-level properties that changed. */
  diffs: string[];
  /** Property path to kind (`ADD`, `UPDATE`, `UPDATE_REPLACE`, …), when the provider computed one. */
  detailedDiff?: Record<string, string>;
}

const KIND_NAMES = Object.fromEntries(Object.entries(proto.PropertyDiff.Kind).map(([name, value]) => [value, name]));

/** A provider call that failed. `partial` is set when the resource exists anyway (ErrorResourceInitFailed). */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly partial?: { id: string; properties: Props },
  ) {
    super(message);
  }
}

export class ProviderHost {
  private constructor(
    /** The dynamic-provider host, or the plugin (which takes secrets, and previews creates and updates). */
    readonly kind: "dynamic" | "plugin",
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /**
     * What the CLI shows the user: every line the dynamic host printed after its port (stdout and
     * stderr alike), or each warning the plugin logged to the engine, as `warning: <message>`.
     */
    readonly output: string[],
    private readonly lines: EventEmitter,
    /** The plugin's Log calls, with their URNs; none for the dynamic host, which prints instead. */
    readonly logs: LogEntry[] = [],
    /** What the plugin printed after its port (the CLI keeps it at debug verbosity only); the dynamic host's is in `output`. */
    readonly debugOutput: string[] = [],
    private readonly engine?: grpc.Server,
  ) {}

  /** The host's process id, to read its memory use or to signal it. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once the host has printed nothing for `quietMs`: enough for display, never for a test's assertion. */
  async drainOutput(quietMs = 25): Promise<void> {
    let seen = -1;
    while (seen !== this.output.length) {
      seen = this.output.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /**
   * Resolves with the first line from index `from` on that matches. The host's output comes on
   * a pipe apart from its gRPC answers, so a line printed during a call may arrive after it.
   */
  waitForOutput(pattern: RegExp, from = 0, timeoutMs = 5000): Promise<string> {
    const found = this.output.slice(from).find((line) => pattern.test(line));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lines.off("line", listen);
        reject(new Error(`the provider host printed nothing matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listen = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.lines.off("line", listen);
        resolve(line);
      };
      this.lines.on("line", listen);
    });
  }

  static async start(options: HostOptions): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    // The engine kills its plugins; whatever starts this host may be killed before it can.
    const lifeline = path.join(PACKAGE_ROOT, "dist", "provider", "lifeline", "preload.js");
    const child = spawnProvider(process.execPath, ["--require", lifeline, entry, "127.0.0.1:0"], options.cwd, {
      ...options.env,
      PULUMI_NODEJS_PROJECT: options.project ?? "causeflow",
    });
    const output = new EventEmitter();
    const printed: string[] = [];
    output.on("line", (line: string) => printed.push(line));
    createInterface({ input: child.stderr! }).on("line", (line) => output.emit("line", line));
    const port = await portOf(child, () => printed.join("\n"));
    createInterface({ input: child.stdout! }).on("line", (line) => output.emit("line", line));
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost("dynamic", child, client, printed, output);
  }

  /**
   * Starts the `causeflow` plugin as the engine does, with the address of a small engine that
   * records its Log calls; what it prints after its port (kept by the CLI at debug verbosity
   * only) is not shown to the user, so a warning reaches `output` only through Log.
   */
  static async startPlugin(options: PluginOptions): Promise<ProviderHost> {
    const logs: LogEntry[] = [];
    const output = new EventEmitter();
    const warnings: string[] = [];
    output.on("line", (line: string) => warnings.push(line));
    const engine = new grpc.Server();
    engine.addService(EngineService, {
      log(call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
        const { severity, message, urn } = call.request.toObject();
        logs.push({ severity, message, urn });
        output.emit("line", `warning: ${message}`);
        callback(null, new Empty());
      },
    });
    const enginePort = await new Promise<number>((resolve, reject) =>
      engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    // As the engine passes them: flags first, its address last.
    const engineArgs = ["--logtostderr", "-v=9", `127.0.0.1:${enginePort}`];
    const { bin } = require("@causeflow/pulumi/package.json") as { bin: Record<string, string> };
    const via = options.via ?? "bin";
    const [command, ...args] =
      typeof via === "object"
        ? [via.executable, ...engineArgs]
        : via === "run-plugin"
          ? [process.execPath, require.resolve("@pulumi/pulumi/cmd/run-plugin"), path.join(PACKAGE_ROOT, "provider", "cmd", "pulumi-resource-causeflow"), ...engineArgs]
          : [process.execPath, path.join(PACKAGE_ROOT, bin["pulumi-resource-causeflow"]), ...engineArgs];
    const child = spawnProvider(command, args, options.cwd, options.env ?? {});
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
    try {
      const port = await portOf(child, () => stderr.join("\n"));
      const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      return new ProviderHost("plugin", child, client, warnings, output, logs, stderr, engine);
    } catch (error) {
      engine.forceShutdown();
      throw error;
    }
  }

  /**
   * Configuration as the engine sends it to Configure. For the dynamic host: the stack config,
   * namespaced keys (`causeflow:apiUrl`), secrets in the clear. For the plugin: the provider's
   * inputs (`apiUrl`), secrets wrapped, and the provider's name (`default` for the default provider).
   */
  async configure(config: Props, provider?: { name: string }): Promise<void> {
    const request = new proto.ConfigureRequest();
    request.setArgs(toStruct(config));
    request.setAcceptsecrets(true);
    if (provider) {
      request.setName(provider.name);
      request.setType("pulumi:providers:causeflow");
      request.setUrn(`urn:pulumi:dev::causeflow::pulumi:providers:causeflow::${provider.name}`);
    }
    await this.call("configure", request);
  }

  /** The plugin's CheckConfig: the provider's inputs, secrets in the clear. */
  async checkConfig(news: Props, provider = { name: "default" }): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new proto.CheckRequest();
    request.setUrn(`urn:pulumi:dev::causeflow::pulumi:providers:causeflow::${provider.name}`);
    request.setName(provider.name);
    request.setType("pulumi:providers:causeflow");
    request.setOlds(toStruct({}));
    request.setNews(toStruct(news));
    return checkAnswer(await this.call<proto.CheckResponse>("checkConfig", request));
  }

  async diffConfig(oldInputs: Props, news: Props): Promise<DiffAnswer> {
    const request = new proto.DiffRequest();
    request.setOldInputs(toStruct(oldInputs));
    request.setOlds(toStruct(oldInputs));
    request.setNews(toStruct(news));
    return diffAnswer(await this.call<proto.DiffResponse>("diffConfig", request));
  }

  async invoke(tok: string, args: Props): Promise<{ returned?: Props; failures: { property: string; reason: string }[] }> {
    const request = new proto.InvokeRequest();
    request.setTok(tok);
    request.setArgs(toStruct(args));
    const response = await this.call<proto.InvokeResponse>("invoke", request);
    return {
      returned: response.getReturn()?.toJavaScript(),
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** The package schema, parsed. */
  async getSchema(): Promise<Props> {
    return JSON.parse((await this.call<proto.GetSchemaResponse>("getSchema", new proto.GetSchemaRequest())).getSchema());
  }

  async getPluginInfo(): Promise<string> {
    return (await this.call<{ getVersion(): string }>("getPluginInfo", new Empty())).getVersion();
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new proto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    return checkAnswer(await this.call<proto.CheckResponse>("check", request));
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffAnswer> {
    const request = new proto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    return diffAnswer(await this.call<proto.DiffResponse>("diff", request));
  }

  /** With `preview`, what the plugin shows for a create during `pulumi preview`. */
  async create(urn: string, properties: Props, preview = false): Promise<{ id: string; outputs: Props }> {
    const request = new proto.CreateRequest();
    request.setUrn(urn);
    request.setPreview(preview);
    request.setProperties(toStruct(properties));
    const response = await this.call<proto.CreateResponse>("create", request);
    return { id: response.getId(), outputs: response.getProperties()?.toJavaScript() ?? {} };
  }

  /** `id` is empty when the resource no longer exists. */
  async read(urn: string, id: string, properties: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const request = new proto.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(properties));
    request.setInputs(toStruct(inputs));
    const response = await this.call<proto.ReadResponse>("read", request);
    return {
      id: response.getId(),
      outputs: response.getProperties()?.toJavaScript() ?? {},
      inputs: response.getInputs()?.toJavaScript(),
    };
  }

  async update(urn: string, id: string, olds: Props, news: Props, preview = false): Promise<{ outputs: Props }> {
    const request = new proto.UpdateRequest();
    request.setUrn(urn);
    request.setPreview(preview);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<proto.UpdateResponse>("update", request);
    return { outputs: response.getProperties()?.toJavaScript() ?? {} };
  }

  async delete(urn: string, id: string, properties: Props): Promise<void> {
    const request = new proto.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(properties));
    await this.call("delete", request);
  }

  /** The engine's Cancel, as it sends it on a first Ctrl-C. */
  async cancel(): Promise<void> {
    await this.call("cancel", new Empty());
  }

  /** The host never exits by itself. */
  async stop(): Promise<void> {
    this.client.close();
    this.engine?.forceShutdown();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill();
    await exited;
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    const fn = (this.client as unknown as Record<string, Function>)[method].bind(this.client);
    return new Promise((resolve, reject) => {
      fn(request, (error: grpc.ServiceError | null, response: T) => {
        if (error) reject(new HostCallError(method, error.details || error.message, partialFrom(error)));
        else resolve(response);
      });
    });
  }
}

/**
 * Spawns a provider with this process's environment, less its CAUSEFLOW_* variables: the provider
 * is configured explicitly here, and a developer's real token must not reach it unasked.
 */
function spawnProvider(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("CAUSEFLOW_")));
  return spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** The port a provider prints as its first line of stdout. */
function portOf(child: ChildProcess, printed: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`provider exited with ${code} before serving: ${printed()}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.trim()));
  });
}

function checkAnswer(response: proto.CheckResponse): { inputs: Props; failures: { property: string; reason: string }[] } {
  return {
    inputs: response.getInputs()?.toJavaScript() ?? {},
    failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

function diffAnswer(response: proto.DiffResponse): DiffAnswer {
  const kinds = { [proto.DiffResponse.DiffChanges.DIFF_SOME]: "some", [proto.DiffResponse.DiffChanges.DIFF_NONE]: "none" } as const;
  let detailed: Record<string, string> | undefined;
  if (response.getHasdetaileddiff()) {
    detailed = {};
    response.getDetaileddiffMap().forEach((diff, path) => (detailed![path] = KIND_NAMES[diff.getKind()]));
  }
  return { changes: kinds[response.getChanges() as 1 | 2] ?? "unknown", replaces: response.getReplacesList(), diffs: response.getDiffsList(), detailedDiff: detailed };
}


function partialFrom(error: grpc.ServiceError): { id: string; properties: Props } | undefined {
  const [bytes] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (!bytes) return undefined;
  for (const detail of Status.deserializeBinary(bytes as Uint8Array).getDetailsList()) {
    const failed = detail.unpack(proto.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
    if (failed) return { id: failed.getId(), properties: failed.getProperties()?.toJavaScript() ?? {} };
  }
  return undefined;
}
