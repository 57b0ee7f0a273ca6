/**
 * The dynamic ResourceProvider for causeflow.Tenant. Thin on purpose: each method turns the
 * engine's call into a decision from ./plan and, where needed, client calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CauseFlowClient } from "./client";
import { missingTokenMessage, resolveConfig, type ConfigLookup } from "./config";
import { ConflictError, describeFailure, NotFoundError, type Operation } from "./errors";
import {
  adoptionConflicts,
  checkTenant,
  diffTenant,
  inputsFromOutputs,
  planCreate,
  planPatch,
  previewWarnings,
  toOutputs,
} from "./plan";
import type { ApiTenant, TenantInputs, TenantOutputs } from "./schema";

type Props = Record<string, unknown>;

/** Reported by `create` when the tenant exists but a step after the POST failed; the engine records it. */
export class PartialCreateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

export class TenantProvider implements pulumi.dynamic.ResourceProvider {
  #lookup: ConfigLookup = () => undefined;
  #client?: CauseFlowClient;

  /** Keeps the stack config; it is read when a call first needs the API, so previews need no token. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.#lookup = (key) => req.config.get(key);
    await this.#client?.close();
    this.#client = undefined;
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const result = checkTenant(olds ?? {}, news);
    if (result.failures.length === 0) warn(previewWarnings.autoRemediation(olds ?? {}, result.inputs));
    return result;
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const { replaces, updates } = diffTenant(olds, news);
    warn(previewWarnings.replacement(id, olds, news));
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  }

  /** POSTs the tenant (or, with adoptExisting, takes the one holding the slug), then PATCHes what it still lacks. */
  async create(props: Props): Promise<pulumi.dynamic.CreateResult<TenantOutputs>> {
    const inputs = props as unknown as TenantInputs;
    const body = planCreate(inputs);
    let current: ApiTenant;
    try {
      const created = await this.#call("create", inputs.slug, (client) => client.createTenant(body));
      // POST answers without settings: the tenant has what was sent.
      current = { ...created, settings: created.settings ?? body.settings ?? {} };
    } catch (error) {
      if (!(inputs.adoptExisting === true && error instanceof Error && error.cause instanceof ConflictError)) throw error;
      current = await this.#adopt(inputs);
    }
    return this.#converge(current, inputs, props.__provider);
  }

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult<TenantOutputs>> {
    const old = props as unknown as TenantOutputs;
    let tenant;
    try {
      tenant = await this.#call("read", old.slug ?? id, (client) => client.getTenant(id));
    } catch (error) {
      if (error instanceof Error && error.cause instanceof NotFoundError) return { id: "" };
      throw error;
    }
    const outputs = toOutputs(tenant, { ownerEmail: old.ownerEmail, settings: old.settings });
    return { id, props: outputs, inputs: inputsFromOutputs(outputs) as unknown as TenantOutputs };
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult<TenantOutputs>> {
    const inputs = news as unknown as TenantInputs;
    const body = planPatch(olds, inputs);
    const tenant = await this.#call("update", inputs.slug, (client) =>
      Object.keys(body).length === 0 ? client.getTenant(id) : client.updateTenant(id, body),
    );
    return { outs: toOutputs(tenant, { ownerEmail: inputs.ownerEmail, settings: inputs.settings }) };
  }

  /** The API cannot delete tenants: the resource leaves the stack and the tenant stays in CauseFlow. */
  async delete(id: string, props: Props): Promise<void> {
    warn(
      `CauseFlow tenant ${JSON.stringify(props.slug)} (${id}) was removed from the Pulumi stack but still exists ` +
        `in CauseFlow: the API has no way to delete a tenant. Suspend or remove it from the CauseFlow dashboard if it is no longer needed.`,
    );
  }

  /** The tenant that holds the slug, if the program may take it over. */
  async #adopt(inputs: TenantInputs): Promise<ApiTenant> {
    const existing = await this.#call("adopt", inputs.slug, (client) => client.findTenantBySlug(inputs.slug, inputs.name));
    const reasons = existing
      ? adoptionConflicts(existing, inputs)
      : ["the slug is taken, but by no tenant this token can see: it belongs to another organization, so choose another slug"];
    if (reasons.length > 0) throw new Error(`Could not adopt CauseFlow tenant ${JSON.stringify(inputs.slug)}: ${reasons.join("; ")}.`);
    return existing!;
  }

  /**
   * PATCHes what the tenant lacks (autoRemediation after a POST; name and settings after an
   * adoption). A failure here leaves a tenant that exists: it is reported as a partial create,
   * so the engine records it and the next `up` finishes the job.
   */
  async #converge(current: ApiTenant, inputs: TenantInputs, provider: unknown): Promise<pulumi.dynamic.CreateResult<TenantOutputs>> {
    const managed = { ownerEmail: inputs.ownerEmail, settings: inputs.settings };
    const patch = planPatch(toOutputs(current, managed), inputs);
    if (Object.keys(patch).length === 0) return { id: current.tenantId, outs: toOutputs(current, managed) };
    try {
      const updated = await this.#call("create", inputs.slug, (client) => client.updateTenant(current.tenantId, patch));
      return { id: current.tenantId, outs: toOutputs(updated, managed) };
    } catch (error) {
      const message =
        `${(error as Error).message} The tenant ${current.tenantId} exists and is recorded in the stack; ` +
        `the next \`pulumi up\` applies the remaining changes.`;
      const properties = { ...toOutputs(current, managed), __provider: provider };
      throw new PartialCreateError(message, current.tenantId, properties, [message]);
    }
  }

  async #call<T>(operation: Operation, tenant: string, send: (client: CauseFlowClient) => Promise<T>): Promise<T> {
    try {
      return await send(this.#connect());
    } catch (error) {
      throw new Error(describeFailure(operation, JSON.stringify(tenant), error), { cause: error });
    }
  }

  #connect(): CauseFlowClient {
    if (this.#client) return this.#client;
    const config = resolveConfig(this.#lookup, process.env);
    if (config.apiToken === undefined) throw new Error(missingTokenMessage());
    this.#client = new CauseFlowClient({
      baseUrl: config.apiUrl,
      token: config.apiToken,
      requestTimeoutMs: config.requestTimeoutMs,
      retry: { maxAttempts: config.maxAttempts, retryTimeoutMs: config.retryTimeoutMs },
    });
    return this.#client;
  }
}

/**
 * Prints a warning for the user. Plugin output reaches the user as a diagnostic of the stack
 * (Pulumi 3.146 and later); stderr, because stdout's first line must be the host's port.
 */
export function warn(message: string | undefined): void {
  if (message !== undefined) console.error(`warning: ${message}`);
}
