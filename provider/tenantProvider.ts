/**
 * The dynamic ResourceProvider for causeflow.Tenant. Thin on purpose: each method turns the
 * engine's call into a decision from ./plan and, where needed, client calls.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CauseFlowClient, type CreateTenantBody, type SlugSearchResult } from "./client";
import { missingTokenMessage, resolveConfig, type ConfigLookup, type ProviderConfig } from "./config";
import {
  ConflictError,
  describeFailure,
  describeUntrustedNotFound,
  isTenantNotFound,
  NotFoundError,
  PermissionDeniedError,
  type CauseFlowError,
  type Operation,
} from "./errors";
import {
  adoptionConflicts,
  checkTenant,
  diffTenant,
  inputsFromOutputs,
  planCreate,
  planPatch,
  previewWarnings,
  provenanceDoubts,
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

export class TenantProvider implements pulumi.dynamic.ResourceProvider {
  #lookup: ConfigLookup = () => undefined;
  #config?: ProviderConfig;
  #client?: CauseFlowClient;

  /**
   * Keeps the stack config. It is resolved at the first call, so that a configuration error fails
   * every call that follows (the host configures a provider once, and never again if that throws);
   * only calls that reach the API need a token, so previews need none. The host calls this once
   * per distinct `__provider` text, and every text loads this one provider, all with the process's
   * one stack config: a client already made stays in use.
   */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.#lookup = (key) => req.config.get(key);
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    this.#settings();
    const result = checkTenant(olds ?? {}, news);
    if (result.failures.length === 0) warn(previewWarnings.autoRemediation(olds ?? {}, result.inputs));
    return result;
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    this.#settings();
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
      // POST answers without settings; read them back to see what was stored. A token that may
      // not read the tenant (reads are for its users) PATCHes every setting instead, and the
      // PATCH's answer, which carries the settings, is what gets verified.
      if (!created.settings && body.settings) {
        known = await this.#call("create", inputs.slug, (c) => c.getTenant(created.tenantId)).catch((error: Error) => {
          if (error.cause instanceof PermissionDeniedError) return known;
          throw error;
        });
      }
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

  /**
   * Refresh. Only the tenant API's own `not_found`, from a base URL whose tenant list answers as
   * documented, takes a tenant out of the stack; any other 404 fails the refresh and says where to look.
   */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult<TenantOutputs>> {
    const old = props as unknown as TenantOutputs;
    const tenantLabel = JSON.stringify(old.slug ?? id);
    let tenant;
    try {
      tenant = await this.#call("read", old.slug ?? id, (client) => client.getTenant(id));
    } catch (error) {
      const cause = (error as Error).cause;
      if (!(cause instanceof NotFoundError)) throw error;
      const probe = isTenantNotFound(cause) ? await this.#connect().probeTenantApi() : undefined;
      if (probe?.serves) return { id: "" };
      throw new Error(describeUntrustedNotFound(tenantLabel, id, cause, probe), { cause });
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
   * The tenant for a create: the POST's answer (the client sends it again after a failure whose
   * outcome is unknown: a second POST creates the tenant or meets 409, since slugs are unique);
   * or, when an attempt's answer was lost, the tenant holding the slug if it is provably the one
   * that attempt created; or, with adoptExisting, the tenant holding the slug. Never a second
   * tenant, never one that is not recorded, never another program's without its opt-in.
   */
  async #createOrFind(inputs: TenantInputs, body: CreateTenantBody): Promise<ApiTenant> {
    const firstSentAt = Date.now();
    try {
      return await this.#call("create", inputs.slug, (client) => client.createTenant(body));
    } catch (error) {
      const cause = (error as Error).cause as CauseFlowError | undefined;
      if (cause?.unknownOutcome) return this.#findLostTenant(inputs, body, firstSentAt, error as Error);
      if (cause instanceof ConflictError && inputs.adoptExisting === true) return this.#adopt(inputs);
      throw error;
    }
  }

  /**
   * After an attempt whose answer was lost: the tenant it created, looked up among those with the
   * name and plan sent (list items carry both, so usually one is read), and taken only when
   * `provenanceDoubts` finds nothing against it.
   */
  async #findLostTenant(inputs: TenantInputs, body: CreateTenantBody, firstSentAt: number, failure: Error): Promise<ApiTenant> {
    const client = this.#connect();
    const slug = JSON.stringify(inputs.slug);
    let found: SlugSearchResult;
    try {
      found = await client.findTenantBySlug(inputs.slug, {
        only: (item) => item.name === body.name && (item.plan === undefined || item.plan === body.plan),
      });
    } catch (error) {
      throw new Error(
        `${failure.message} An answer was lost, and looking for the tenant failed too (${(error as Error).message}), so a tenant ` +
          `may exist under slug ${slug}. Run \`pulumi up\` again; if the slug is then reported taken by a tenant you recognise as ` +
          `this one, set \`adoptExisting: true\` to take it.`,
        { cause: error },
      );
    }
    const { tenant, unreadable } = found;
    if (tenant) {
      const doubts = provenanceDoubts(body, tenant, client.toServerTime(firstSentAt));
      if (doubts.length === 0) return tenant;
      if (inputs.adoptExisting === true) return this.#adoptable(tenant, inputs);
      throw new Error(
        `${failure.message} An answer was lost, and tenant ${tenant.tenantId} now holds the slug, but it is not provably the one ` +
          `this program created: ${doubts.join("; ")}. If it is yours, set \`adoptExisting: true\` to take it; otherwise choose another slug.`,
        { cause: failure },
      );
    }
    if (failure.cause instanceof ConflictError && inputs.adoptExisting === true) return this.#adopt(inputs);
    const unseen =
      unreadable > 0
        ? ` ${unreadable} tenant(s) with its name and plan could not be read by this token (reads are for users of a tenant), so it cannot tell whether one of them is it.`
        : "";
    const verdict =
      failure.cause instanceof ConflictError
        ? `An earlier attempt's answer was lost, but no tenant named ${JSON.stringify(body.name)} on plan ${JSON.stringify(body.plan)} that this token can read holds the slug.`
        : unreadable > 0
          ? ""
          : "No tenant with its name and plan holds the slug afterwards: nothing was created.";
    throw new Error(`${failure.message} ${verdict}${unseen}`.replace(/ +$/, ""), { cause: failure });
  }

  /** The tenant holding the slug, for a program that opted in with adoptExisting. */
  async #adopt(inputs: TenantInputs): Promise<ApiTenant> {
    const { tenant, unreadable } = await this.#call("create", inputs.slug, (client) =>
      client.findTenantBySlug(inputs.slug, { prefer: (item) => item.name === inputs.name }),
    );
    if (tenant) return this.#adoptable(tenant, inputs);
    const unseen = unreadable > 0 ? ` (${unreadable} tenant(s) could not be read by this token: reads are for users of a tenant)` : "";
    throw new Error(
      `Could not adopt CauseFlow tenant ${JSON.stringify(inputs.slug)}: the slug is taken, but by no tenant this token ` +
        `can see and read${unseen}: another organization's, or one this token's user does not belong to; choose another slug.`,
    );
  }

  /** The holder of the slug, if the program may take it over. */
  #adoptable(holder: ApiTenant, inputs: TenantInputs): ApiTenant {
    const reasons = adoptionConflicts(holder, inputs);
    if (reasons.length > 0) throw new Error(`Could not adopt CauseFlow tenant ${JSON.stringify(inputs.slug)}: ${reasons.join("; ")}.`);
    return holder;
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

  /** The configuration, resolved once; an invalid value fails every call, naming its key. */
  #settings(): ProviderConfig {
    this.#config ??= resolveConfig(this.#lookup, process.env);
    return this.#config;
  }

  #connect(): CauseFlowClient {
    if (this.#client) return this.#client;
    const config = this.#settings();
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
