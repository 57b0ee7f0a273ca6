/**
 * The dynamic-provider host that `pulumi up` launches (`@pulumi/pulumi/cmd/dynamic-provider`),
 * started and called over gRPC exactly as the engine does, without the Pulumi CLI.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import * as path from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";

export type Props = Record<string, unknown>;

export interface HostOptions {
  /** The Pulumi program's directory: the host resolves `require()` in `__provider` from here. */
  cwd: string;
  project?: string;
  env?: NodeJS.ProcessEnv;
}

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
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /** Every line the host printed after its port, stdout and stderr alike: what the CLI shows the user. */
    readonly output: string[],
    private readonly lines: EventEmitter,
  ) {}

  /** The host's process id, to read its memory use. */
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
    const lifeline = path.join(path.dirname(require.resolve("@causeflow/pulumi/package.json")), "dist", "provider", "exitWithParent.js");
    // The provider is configured explicitly here; CAUSEFLOW_* variables of this process (a
    // developer's real token, say) must not reach it unasked.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("CAUSEFLOW_")));
    const child = spawn(process.execPath, ["--require", lifeline, entry, "127.0.0.1:0"], {
      cwd: options.cwd,
      env: { ...inherited, ...options.env, PULUMI_NODEJS_PROJECT: options.project ?? "causeflow" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines = createInterface({ input: child.stdout! });
    const output = new EventEmitter();
    const record = (line: string) => output.emit("line", line);
    const printed: string[] = [];
    output.on("line", (line: string) => printed.push(line));
    createInterface({ input: child.stderr! }).on("line", record);
    const port = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`provider host exited with ${code} before serving: ${printed.join("\n")}`)));
      lines.once("line", resolve);
    });
    lines.on("line", record);
    const client = new ResourceProviderClient(`127.0.0.1:${port.trim()}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, printed, output);
  }

  /** Stack config as the engine sends it: namespaced keys, secrets already in the clear. */
  async configure(config: Record<string, string>): Promise<void> {
    const request = new proto.ConfigureRequest();
    request.setArgs(Struct.fromJavaScript(config));
    request.setAcceptsecrets(true);
    await this.call("configure", request);
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new proto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<proto.CheckResponse>("check", request);
    return {
      inputs: response.getInputs()?.toJavaScript() ?? {},
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "some" | "none" | "unknown"; replaces: string[] }> {
    const request = new proto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<proto.DiffResponse>("diff", request);
    const kinds = { [proto.DiffResponse.DiffChanges.DIFF_SOME]: "some", [proto.DiffResponse.DiffChanges.DIFF_NONE]: "none" } as const;
    return { changes: kinds[response.getChanges() as 1 | 2] ?? "unknown", replaces: response.getReplacesList() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outputs: Props }> {
    const request = new proto.CreateRequest();
    request.setUrn(urn);
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

  async update(urn: string, id: string, olds: Props, news: Props): Promise<{ outputs: Props }> {
    const request = new proto.UpdateRequest();
    request.setUrn(urn);
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

  /** The host never exits by itself. */
  async stop(): Promise<void> {
    this.client.close();
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

/** Struct cannot hold undefined: the engine never sends it either. */
function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
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
