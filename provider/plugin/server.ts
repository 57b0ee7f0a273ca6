/**
 * The `causeflow` resource provider plugin: `pulumirpc.ResourceProvider` over gRPC, serving the
 * same tenant operations (`../core/operations.ts`) as the dynamic provider. Each handler decodes its
 * request, calls one operation, and encodes the answer; secrets, previews, partial failures and
 * warnings (sent to the engine's Log with the resource's URN) are the wire's business, here.
 */
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { readConfig, unknownSettings, type SettingName } from "../core/config";
import { detailedDiff, previewOutputs } from "../core/decisions";
import { GET_TENANT, GET_TENANT_LOOKUPS, SECRET_SETTINGS, UNKNOWN_VALUE, type Props } from "../core/tenantRules";
import type { TenantInputs, TenantOutputs } from "../core/tenantSchema";
import { PartialFailure, Tenants, type TenantQuery } from "../core/operations";
import { concealSecrets, readProps, toStruct } from "./wire";

/** Outputs always secret, whatever the program marked: CauseFlow's docs call the external ID a secret. */
const ALWAYS_SECRET = SECRET_SETTINGS.map((key) => `settings.${key}`);

const KINDS: Record<ReturnType<typeof detailedDiff>[string], rpc.PropertyDiff.Kind> = {
  ADD: rpc.PropertyDiff.Kind.ADD,
  UPDATE: rpc.PropertyDiff.Kind.UPDATE,
  DELETE: rpc.PropertyDiff.Kind.DELETE,
  UPDATE_REPLACE: rpc.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** A failure the engine shows as is: a gRPC status, with ErrorResourceInitFailed for a partial create or update. */
class ServiceFailure extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    readonly metadata?: grpc.Metadata,
  ) {
    super(details);
  }
}

export class TenantPlugin {
  readonly #tenants = new Tenants();
  #engine: EngineClient;
  #schema?: string;

  constructor(
    engineAddress: string,
    private readonly version: string,
  ) {
    this.#engine = new EngineClient(engineAddress, grpc.credentials.createInsecure());
  }

  /** The engine's address comes again here; the plugin answers that it takes secrets and supports previews. */
  handshake(request: rpc.ProviderHandshakeRequest): rpc.ProviderHandshakeResponse {
    this.#engine.close();
    this.#engine = new EngineClient(request.getEngineAddress(), grpc.credentials.createInsecure());
    return new rpc.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(false).setAcceptOutputs(false);
  }

  getPluginInfo(): PluginInfo {
    return new PluginInfo().setVersion(this.version);
  }

  /** Built at the first call, not at start: only `pulumi package add`, import and YAML programs ask for it, and it needs zod. */
  getSchema(): rpc.GetSchemaResponse {
    this.#schema ??= JSON.stringify((require("./packageSchema") as typeof import("./packageSchema")).packageSchema(this.version));
    return new rpc.GetSchemaResponse().setSchema(this.#schema);
  }

  /** Validates the provider's configuration (secrets arrive plain), naming each bad key; the inputs go back as they came. */
  checkConfig(request: rpc.CheckRequest): rpc.CheckResponse {
    const news = request.getNews()?.toJavaScript() ?? {};
    const failures = unknownSettings(Object.keys(news)).map(({ key, reason }) => failure(key, reason));
    const result = readConfig(lookupIn(news), isDefaultProvider(request.getName()) ? process.env : {});
    if ("failures" in result) failures.push(...result.failures.map(({ name, reason }) => failure(name, reason)));
    return new rpc.CheckResponse().setInputs(request.getNews()).setFailuresList(failures);
  }

  /** A changed setting is an update of the provider, never a replacement: that would replace every tenant it manages. */
  diffConfig(request: rpc.DiffRequest): rpc.DiffResponse {
    const olds = readProps(request.getOldInputs() ?? request.getOlds()).props;
    const news = readProps(request.getNews()).props;
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (key) => key !== "version" && JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
    const response = new rpc.DiffResponse()
      .setChanges(changed.length > 0 ? rpc.DiffResponse.DiffChanges.DIFF_SOME : rpc.DiffResponse.DiffChanges.DIFF_NONE)
      .setDiffsList(changed)
      .setHasdetaileddiff(true);
    for (const key of changed) response.getDetaileddiffMap().set(key, new rpc.PropertyDiff().setKind(rpc.PropertyDiff.Kind.UPDATE).setInputdiff(true));
    return response;
  }

  /**
   * Takes the configuration from `args` (secrets wrapped, values as JSON text or real values), or
   * from the older `variables`. The environment fills what is not set for the default provider
   * only: an explicit provider gets exactly what the program gave it, so a token meant for one
   * CauseFlow can never travel to another's URL.
   */
  configure(request: rpc.ConfigureRequest): rpc.ConfigureResponse {
    const config = request.hasArgs() ? readProps(request.getArgs()).props : fromVariables(request.getVariablesMap());
    this.#tenants.configure(lookupIn(config), isDefaultProvider(request.getName()) ? process.env : {});
    return new rpc.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false);
  }

  /** Validates and normalizes the inputs; a value that came as a secret leaves as one, and so does the external ID. */
  async check(request: rpc.CheckRequest): Promise<rpc.CheckResponse> {
    const news = readProps(request.getNews());
    const { inputs, failures, warnings } = this.#tenants.check(readProps(request.getOlds()).props, news.props);
    await this.#warn(request.getUrn(), warnings);
    return new rpc.CheckResponse()
      .setInputs(toStruct(concealSecrets(inputs, [...news.secrets, ...ALWAYS_SECRET]) as Props))
      .setFailuresList(failures.map(({ property, reason }) => failure(property, reason)));
  }

  async diff(request: rpc.DiffRequest): Promise<rpc.DiffResponse> {
    const olds = readProps(request.getOlds()).props;
    const news = readProps(request.getNews()).props;
    const { replaces, updates, warnings } = this.#tenants.diff(request.getId(), olds, news);
    await this.#warn(request.getUrn(), warnings);
    const detail = detailedDiff(olds, news);
    const response = new rpc.DiffResponse()
      .setChanges(replaces.length + updates.length > 0 ? rpc.DiffResponse.DiffChanges.DIFF_SOME : rpc.DiffResponse.DiffChanges.DIFF_NONE)
      .setReplacesList(replaces)
      .setDiffsList([...new Set([...replaces, ...updates].map((path) => path.split(".")[0]))])
      .setDeletebeforereplace(false)
      .setHasdetaileddiff(true);
    for (const [path, kind] of Object.entries(detail)) response.getDetaileddiffMap().set(path, new rpc.PropertyDiff().setKind(KINDS[kind]));
    return response;
  }

  /** In a preview, the inputs and unknowns, with no request; otherwise the tenant, created. */
  async create(request: rpc.CreateRequest): Promise<rpc.CreateResponse> {
    const { props, secrets } = readProps(request.getProperties());
    if (request.getPreview()) return new rpc.CreateResponse().setProperties(outputStruct(previewOutputs(props), secrets));
    const { id, outputs } = await initFailure(secrets, () => this.#tenants.create(props as unknown as TenantInputs, request.getUrn()));
    return new rpc.CreateResponse().setId(id).setProperties(outputStruct(outputs, secrets));
  }

  /** Refresh; or, with only an id, `pulumi import`, which needs inputs as well as properties. An empty id: gone. */
  async read(request: rpc.ReadRequest): Promise<rpc.ReadResponse> {
    const old = readProps(request.getProperties());
    const inputs = readProps(request.getInputs());
    const importing = Object.keys(old.props).length === 0;
    const found = await this.#tenants.read(request.getId(), importing ? undefined : (old.props as unknown as TenantOutputs));
    if (!found) return new rpc.ReadResponse().setId("");
    return new rpc.ReadResponse()
      .setId(request.getId())
      .setProperties(outputStruct(found.outputs, old.secrets))
      .setInputs(outputStruct(found.inputs, inputs.secrets));
  }

  async update(request: rpc.UpdateRequest): Promise<rpc.UpdateResponse> {
    const olds = readProps(request.getOlds()).props;
    const { props: news, secrets } = readProps(request.getNews());
    if (request.getPreview()) return new rpc.UpdateResponse().setProperties(outputStruct(previewOutputs(news, olds), secrets));
    const outputs = await initFailure(secrets, () => this.#tenants.update(request.getId(), olds, news as unknown as TenantInputs));
    return new rpc.UpdateResponse().setProperties(outputStruct(outputs, secrets));
  }

  /** The API cannot delete tenants: the resource leaves the stack, and a warning says the tenant stays in CauseFlow. */
  async delete(request: rpc.DeleteRequest): Promise<Empty> {
    await this.#warn(request.getUrn(), this.#tenants.delete(request.getId(), readProps(request.getProperties()).props));
    return new Empty();
  }

  /** `getTenant`: a tenant by `tenantId` or by `slug`, every setting CauseFlow reports, the external ID secret. */
  async invoke(request: rpc.InvokeRequest): Promise<rpc.InvokeResponse> {
    if (request.getTok() !== GET_TENANT) {
      throw new ServiceFailure(grpc.status.UNIMPLEMENTED, `unknown function ${request.getTok()}; this provider has ${GET_TENANT}`);
    }
    const args = readProps(request.getArgs()).props;
    const query = tenantQuery(args);
    if ("failures" in query) return new rpc.InvokeResponse().setFailuresList(query.failures);
    return new rpc.InvokeResponse().setReturn(outputStruct(await this.#tenants.find(query), []));
  }

  cancel(): Empty {
    this.#tenants.cancel();
    return new Empty();
  }

  /** Warnings reach the user through the engine (a plugin's stderr is kept only at debug verbosity), else stderr. */
  async #warn(urn: string, warnings: string[]): Promise<void> {
    for (const message of warnings) {
      const request = new LogRequest().setSeverity(LogSeverity.WARNING).setMessage(message).setUrn(urn);
      await new Promise<void>((resolve) =>
        this.#engine.log(request, (error) => {
          if (error) console.error(`warning: ${message}`);
          resolve();
        }),
      );
    }
  }
}

/** Serves the plugin on a free loopback port until the process ends (the engine stops its plugins); resolves with the port. */
export async function servePlugin(engineAddress: string, version: string): Promise<number> {
  const plugin = new TenantPlugin(engineAddress, version);
  const server = new grpc.Server();
  const handlers: Record<string, grpc.handleUnaryCall<unknown, unknown>> = {};
  failCallsInFlightOnUncaughtErrors();
  for (const method of ["handshake", "getPluginInfo", "getSchema", "checkConfig", "diffConfig", "configure", "check", "diff", "create", "read", "update", "delete", "invoke", "cancel"] as const) {
    handlers[method] = (call, callback) => {
      const fail = (failure: ServiceFailure) => callback(failure);
      callsInFlight.add(fail);
      // A call that an uncaught error already failed is answered no second time.
      const answer = (respond: () => void) => callsInFlight.delete(fail) && respond();
      Promise.resolve()
        .then(() => (plugin[method] as (request: unknown) => unknown)(call.request))
        .then(
          (response) => answer(() => callback(null, response)),
          (error: unknown) => answer(() => callback(serviceFailure(error))),
        );
    };
  }
  server.addService(ResourceProviderService, handlers);
  return new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
}

/** What each call in flight answers if an error escapes every handler, so that the engine is never left waiting. */
const callsInFlight = new Set<(failure: ServiceFailure) => void>();

/**
 * As Pulumi's own provider server does: an error that no call caught (a throw in a timer, a
 * rejected promise nobody awaited) fails every call in flight, goes to stderr, and makes the
 * process's exit code 1, rather than leaving the engine waiting on answers that will never come.
 */
function failCallsInFlightOnUncaughtErrors(): void {
  if (process.listeners("uncaughtException").includes(failCallsInFlight)) return;
  process.on("uncaughtException", failCallsInFlight);
  process.on("unhandledRejection", failCallsInFlight);
}

function failCallsInFlight(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`pulumi-resource-causeflow: internal error: ${error instanceof Error ? (error.stack ?? reason) : reason}`);
  process.exitCode = 1;
  const failure = new ServiceFailure(grpc.status.INTERNAL, `The causeflow provider failed with an internal error (${reason}); this is a bug in the provider: please report it with this message.`);
  for (const fail of callsInFlight) fail(failure);
  callsInFlight.clear();
}

/** A default provider is named `default` (or `default_<version>`) by the engine; an older engine sends no name. */
function isDefaultProvider(name: string | undefined): boolean {
  return !name || name === "default" || name.startsWith("default_");
}

/** A setting as text, however it arrived: `"3"` and `3`, `"true"` and `true`. An unknown value (preview) is no value. */
function lookupIn(config: Props): (name: SettingName) => string | undefined {
  return (name) => {
    const value = config[name];
    if (value === undefined || value === null || value === UNKNOWN_VALUE) return undefined;
    return typeof value === "string" ? value : JSON.stringify(value);
  };
}

/** The deprecated `variables` map: `causeflow:config:<name>`, secrets included in clear, non-strings as JSON. */
function fromVariables(variables: { forEach(callback: (value: string, key: string) => void): void }): Props {
  const config: Props = {};
  variables.forEach((value, key) => {
    const name = key.split(":config:")[1];
    if (name !== undefined) config[name] = value;
  });
  return config;
}

function tenantQuery(args: Props): TenantQuery | { failures: rpc.CheckFailure[] } {
  const given = GET_TENANT_LOOKUPS.filter((key) => typeof args[key] === "string" && args[key] !== "");
  if (given.length === 1) return given[0] === "tenantId" ? { tenantId: args.tenantId as string } : { slug: args.slug as string };
  const reason = given.length === 0 ? "give tenantId or slug" : "give tenantId or slug, not both";
  return { failures: [failure(given.length === 0 ? "tenantId" : "slug", reason)] };
}

function failure(property: string, reason: string): rpc.CheckFailure {
  return new rpc.CheckFailure().setProperty(property).setReason(reason);
}

/** Outputs with the secrets they came with, and the external ID always secret. */
function outputStruct(outputs: object, secrets: string[]) {
  return toStruct(concealSecrets(outputs, [...secrets, ...ALWAYS_SECRET]) as Props);
}

/** Runs a create or update; a tenant that exists but is not as the program says is reported as ErrorResourceInitFailed. */
async function initFailure<T>(secrets: string[], operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof PartialFailure)) throw error;
    const detail = new rpc.ErrorResourceInitFailed()
      .setId(error.id)
      .setProperties(outputStruct(error.outputs, secrets))
      .setReasonsList([error.message]);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status().setCode(grpc.status.UNKNOWN).setMessage(error.message).setDetailsList([any]);
    const metadata = new grpc.Metadata();
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    throw new ServiceFailure(grpc.status.UNKNOWN, error.message, metadata);
  }
}

function serviceFailure(error: unknown): ServiceFailure {
  if (error instanceof ServiceFailure) return error;
  return new ServiceFailure(grpc.status.UNKNOWN, error instanceof Error ? error.message : String(error));
}
