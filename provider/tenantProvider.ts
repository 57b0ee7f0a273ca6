/**
 * The dynamic ResourceProvider for causeflow.Tenant. Thin on purpose: each method turns the
 * engine's call into a decision from ./plan and, where needed, one client call.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CauseFlowClient } from "./client";
import { missingTokenMessage, resolveConfig, type ConfigLookup } from "./config";
import { describeFailure, NotFoundError, type Operation } from "./errors";
import { checkTenant, diffTenant, inputsFromOutputs, planCreate, planPatch, toOutputs } from "./plan";
import type { TenantInputs, TenantOutputs } from "./schema";

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
    return checkTenant(olds ?? {}, news);
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const { replaces, updates } = diffTenant(olds, news);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  }

  async create(props: Props): Promise<pulumi.dynamic.CreateResult<TenantOutputs>> {
    const inputs = props as unknown as TenantInputs;
    const label = JSON.stringify(inputs.slug);
    const { body, followUp } = planCreate(inputs);
    const created = await this.#call("create", label, (client) => client.createTenant(body));
    const managed = { ownerEmail: inputs.ownerEmail, settings: inputs.settings };
    if (followUp === undefined) return { id: created.tenantId, outs: toOutputs(created, managed) };
    try {
      const updated = await this.#call("create", label, (client) => client.updateTenant(created.tenantId, followUp));
      return { id: created.tenantId, outs: toOutputs(updated, managed) };
    } catch (error) {
      // The tenant exists: record it as it stands (without autoRemediation) so the next `up` retries the PATCH.
      const { autoRemediation: _notApplied, ...applied } = inputs.settings ?? {};
      const outputs = toOutputs(created, { ownerEmail: inputs.ownerEmail, settings: applied });
      const message = `${(error as Error).message} The tenant ${created.tenantId} was created and is recorded in the stack; the next \`pulumi up\` applies autoRemediation again.`;
      throw new PartialCreateError(message, created.tenantId, { ...outputs, __provider: props.__provider }, [message]);
    }
  }

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult<TenantOutputs>> {
    const old = props as unknown as TenantOutputs;
    let tenant;
    try {
      tenant = await this.#call("read", JSON.stringify(old.slug ?? id), (client) => client.getTenant(id));
    } catch (error) {
      if ((error as { cause?: unknown }).cause instanceof NotFoundError) return { id: "" };
      throw error;
    }
    const outputs = toOutputs(tenant, { ownerEmail: old.ownerEmail, settings: old.settings });
    return { id, props: outputs, inputs: inputsFromOutputs(outputs) as unknown as TenantOutputs };
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult<TenantOutputs>> {
    const inputs = news as unknown as TenantInputs;
    const body = planPatch(olds, inputs);
    const label = JSON.stringify(inputs.slug);
    const tenant = await this.#call("update", label, (client) =>
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

  async #call<T>(operation: Operation, tenant: string, send: (client: CauseFlowClient) => Promise<T>): Promise<T> {
    try {
      return await send(this.#connect());
    } catch (error) {
      throw new Error(describeFailure(operation, tenant, error), { cause: error });
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

/** Plugin output reaches the user as a diagnostic of the stack (Pulumi 3.146 and later). */
export function warn(message: string): void {
  console.error(`warning: ${message}`);
}
