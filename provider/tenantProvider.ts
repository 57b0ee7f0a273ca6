/**
 * The dynamic ResourceProvider for causeflow.Tenant. Thin on purpose: each method turns the
 * engine's call into a decision from ./plan and, where needed, client calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CauseFlowClient, type CreateTenantBody } from "./client";
import { missingTokenMessage, resolveConfig, type ConfigLookup } from "./config";
import { ConflictError, describeFailure, mayHaveBeenProcessed, NotFoundError, type Operation } from "./errors";
import {
  adoptionConflicts,
  checkTenant,
  diffTenant,
  inputsFromOutputs,
  planCreate,
  planPatch,
  previewWarnings,
  toOutputs,
  unappliedFields,
} from "./plan";
import type { ApiTenant, TenantInputs, TenantOutputs } from "./schema";

type Props = Record<string, unknown>;

/**
 * Reported when the tenant exists but is not yet as the program says (a step after the POST
 * failed, or CauseFlow did not apply a field). The host hands it to the engine as
 * ErrorResourceInitFailed: the id and outputs are recorded, and the next `up` carries on.
 */
export class PartialFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/** POSTs after a failure whose outcome is unknown, at most, before giving up. */
const MAX_CREATE_ROUNDS = 3;

export class TenantProvider implements pulumi.dynamic.ResourceProvider {
  #lookup: ConfigLookup = () => undefined;
  #client?: CauseFlowClient;

  /**
   * Keeps the stack config; it is read when a call first needs the API, so previews need no token.
   * The host calls this once per distinct `__provider` text, and every text loads this one
   * provider, all with the process's one stack config: a client already made stays in use.
   */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.#lookup = (key) => req.config.get(key);
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

  /**
   * POSTs the tenant, or finds it after an answer was lost, or adopts the one holding the slug;
   * then PATCHes what it still lacks and verifies that CauseFlow applied it all.
   */
  async create(props: Props): Promise<pulumi.dynamic.CreateResult<TenantOutputs>> {
    const inputs = props as unknown as TenantInputs;
    const body = planCreate(inputs);
    const created = await this.#createOrFind(inputs, body);
    // From here on the tenant exists: any failure is partial, so the engine records it. Settings
    // not yet read back count as missing, so that the next `up` sends them again.
    let known: ApiTenant = { ...created, settings: created.settings ?? {} };
    const managed = { ownerEmail: inputs.ownerEmail, settings: inputs.settings };
    try {
      // POST answers without settings; read them back to see what was stored.
      if (!created.settings && body.settings) known = await this.#call("create", inputs.slug, (c) => c.getTenant(created.tenantId));
      const patch = planPatch(toOutputs(known, managed), inputs);
      if (Object.keys(patch).length > 0) known = await this.#call("create", inputs.slug, (c) => c.updateTenant(known.tenantId, patch));
      this.#verify("create", inputs.slug, inputs, known);
      return { id: known.tenantId, outs: toOutputs(known, managed) };
    } catch (error) {
      const message =
        `${(error as Error).message} The tenant ${known.tenantId} exists and is recorded in the stack as CauseFlow reports it; ` +
        `the next \`pulumi up\` applies the remaining changes.`;
      throw new PartialFailure(message, known.tenantId, { ...toOutputs(known, managed), __provider: props.__provider }, [message]);
    }
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
    const outs = toOutputs(tenant, { ownerEmail: inputs.ownerEmail, settings: inputs.settings });
    try {
      this.#verify("update", inputs.slug, { name: inputs.name, settings: inputs.settings }, tenant);
    } catch (error) {
      const message = `${(error as Error).message} The stack records the tenant as CauseFlow reports it.`;
      throw new PartialFailure(message, id, { ...outs, __provider: news.__provider }, [message]);
    }
    return { outs };
  }

  /** The API cannot delete tenants: the resource leaves the stack and the tenant stays in CauseFlow. */
  async delete(id: string, props: Props): Promise<void> {
    warn(
      `CauseFlow tenant ${JSON.stringify(props.slug)} (${id}) was removed from the Pulumi stack but still exists ` +
        `in CauseFlow: the API has no way to delete a tenant. Suspend or remove it from the CauseFlow dashboard if it is no longer needed.`,
    );
  }

  /**
   * The tenant for a create: the POST's answer; or, when a POST may have been processed though
   * its answer was lost (5xx, timeout, reset), the tenant holding the slug if it matches what was
   * sent, else a new POST if none holds it; or, with adoptExisting, the tenant holding the slug.
   * Never a second tenant, never one that is not recorded.
   */
  async #createOrFind(inputs: TenantInputs, body: CreateTenantBody): Promise<ApiTenant> {
    let lostAnswer: unknown;
    for (let round = 1; ; round++) {
      try {
        return await this.#call("create", inputs.slug, (client) => client.createTenant(body));
      } catch (error) {
        const cause = (error as Error).cause;
        const conflict = cause instanceof ConflictError;
        if (!conflict && !mayHaveBeenProcessed(cause)) throw error;
        if (!conflict) lostAnswer = cause;
        if (lostAnswer === undefined && inputs.adoptExisting !== true) throw error;
        const holder = await this.#call("create", inputs.slug, (client) => client.findTenantBySlug(inputs.slug, inputs.name));
        // Ours if it has the name and plan sent; settings are left to the PATCH and verification
        // that follow, since CauseFlow has been seen to drop them.
        if (holder && lostAnswer !== undefined && unappliedFields({ name: body.name, plan: body.plan }, holder).length === 0) return holder;
        if (holder && inputs.adoptExisting === true) return this.#adoptable(holder, inputs);
        if (lostAnswer === undefined) {
          throw new Error(
            `Could not adopt CauseFlow tenant ${JSON.stringify(inputs.slug)}: the slug is taken, but by no tenant this token ` +
              `can see (another organization's); choose another slug.`,
          );
        }
        if (holder || conflict || round >= MAX_CREATE_ROUNDS) {
          throw new Error(this.#lostAnswerMessage(inputs.slug, lostAnswer, holder, body), { cause: lostAnswer });
        }
        // Nobody holds the slug: the lost POST created nothing, so sending it again is safe.
      }
    }
  }

  /** The holder of the slug, if the program may take it over. */
  #adoptable(holder: ApiTenant, inputs: TenantInputs): ApiTenant {
    const reasons = adoptionConflicts(holder, inputs);
    if (reasons.length > 0) throw new Error(`Could not adopt CauseFlow tenant ${JSON.stringify(inputs.slug)}: ${reasons.join("; ")}.`);
    return holder;
  }

  #lostAnswerMessage(slug: string, lostAnswer: unknown, holder: ApiTenant | undefined, body: CreateTenantBody): string {
    const what = describeFailure("create", JSON.stringify(slug), lostAnswer);
    if (!holder) return `${what} No tenant holds the slug afterwards: nothing was created.`;
    return (
      `${what} The answer was lost, and tenant ${holder.tenantId} now holds the slug but differs from what was sent ` +
      `(${unappliedFields({ name: body.name, plan: body.plan }, holder).join(", ")}), so it is not taken as this program's. If it is yours, set ` +
      `\`adoptExisting: true\`; otherwise choose another slug.`
    );
  }

  /** CauseFlow has been seen to answer success and drop settings: a write is checked, not trusted. */
  #verify(operation: Operation, slug: string, intended: Parameters<typeof unappliedFields>[0], actual: ApiTenant): void {
    const unapplied = unappliedFields(intended, actual);
    if (unapplied.length === 0) return;
    throw new Error(
      `Could not ${operation} CauseFlow tenant ${JSON.stringify(slug)}: CauseFlow answered success but did not apply ` +
        `${unapplied.join(", ")} (it reports another value or none). Run \`pulumi up\` again; if it persists, contact CauseFlow support.`,
    );
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
