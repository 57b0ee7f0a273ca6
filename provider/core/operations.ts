/**
 * The tenant operations, as both hosts serve them: the dynamic provider (`tenantProvider.ts`) and
 * the plugin (`plugin/`). Each is a decision from ./decisions and the client calls it needs; the
 * hosts add only their wire formats, and print or log the warnings returned here. The client's
 * typed errors are handled here as they come, and worded for the user (./messages) once, where an
 * operation gives up.
 */
import type { CauseFlowClient, CreateTenantBody, SlugSearchResult } from "../client/client";
import { missingTokenMessage, resolveConfig, type ConfigLookup, type ProviderConfig } from "./config";
import { AuthenticationError, CauseFlowError, ConflictError, isTenantNotFound, NotFoundError, PermissionDeniedError } from "../client/errors";
import {
  adoptionConflicts,
  checkTenant,
  diffTenant,
  inputsFromOutputs,
  planCreate,
  planPatch,
  previewWarnings,
  provenanceDoubts,
  removalWarning,
  toOutputs,
  unappliedFields,
  type CheckFailure,
  type TenantChanges,
} from "./decisions";
import type { ApiTenant, TenantInputs, TenantOutputs } from "./tenantSchema";
import * as messages from "./messages";
import { DEFAULT_PLAN, type Props } from "./tenantRules";

/** A failure already worded for the user (./messages): it reaches the hosts as it is. */
class WordedFailure extends Error {}

/**
 * The tenant exists but is not yet as the program says (a step after the POST failed, or
 * CauseFlow did not apply a field). Hosts hand it to the engine as ErrorResourceInitFailed: the
 * id and outputs are recorded, and the next `up` carries on.
 */
export class PartialFailure extends WordedFailure {
  constructor(
    message: string,
    readonly id: string,
    readonly outputs: TenantOutputs,
  ) {
    super(message);
  }
}

export interface Checked {
  inputs: Props;
  failures: CheckFailure[];
  warnings: string[];
}

export interface Diffed extends TenantChanges {
  warnings: string[];
}

/** What a refresh (or an import) finds: the outputs, and the inputs that match them. */
export interface Refreshed {
  outputs: TenantOutputs;
  inputs: Props;
}

/** A tenant to look up: by its id, or by its slug. */
export type TenantQuery = { tenantId: string } | { slug: string };

export class Tenants {
  #lookup: ConfigLookup = () => undefined;
  #env: NodeJS.ProcessEnv = {};
  #config?: ProviderConfig;
  #client?: CauseFlowClient;
  /** The tenant whose call the API answered 401: the token is refused, for every tenant. */
  #tokenRefusedFor?: string;
  /** The engine cancelled the run (cancel()): a client made afterwards does not retry either. */
  #cancelled = false;

  /**
   * Keeps the configuration; it is resolved at the first call, so that an invalid value fails
   * every call that follows, naming its key, and only calls that reach the API need a token.
   * `env` is where settings not configured are looked up (`{}` for none). A client already made
   * stays in use: a call in flight is never disturbed.
   */
  configure(lookup: ConfigLookup, env: NodeJS.ProcessEnv): void {
    this.#lookup = lookup;
    this.#env = env;
  }

  /**
   * The engine's Cancel (a first Ctrl-C, or SIGTERM): calls stop retrying and report their last
   * answer; requests in flight finish, so that the engine records what they did.
   */
  cancel(): void {
    this.#cancelled = true;
    this.#client?.stopRetrying();
  }

  /** Validates and normalizes a program's inputs; no request. */
  check(olds: Props, news: Props): Checked {
    this.#settings();
    const { inputs, failures } = checkTenant(olds, news);
    const warning = failures.length === 0 ? previewWarnings.autoRemediation(olds, inputs) : undefined;
    return { inputs, failures, warnings: warning === undefined ? [] : [warning] };
  }

  /** What changes between the stored outputs and the new inputs; no request. */
  diff(id: string, olds: Props, news: Props): Diffed {
    this.#settings();
    const warning = previewWarnings.replacement(id, olds, news);
    return { ...diffTenant(olds, news), warnings: warning === undefined ? [] : [warning] };
  }

  /**
   * POSTs the tenant, or finds it after an answer was lost, or adopts the one holding the slug;
   * then PATCHes what it still lacks and verifies that CauseFlow applied it all. `urn`, where the
   * host knows it, goes into the command a slug-taken error gives.
   */
  async create(inputs: TenantInputs, urn?: string): Promise<{ id: string; outputs: TenantOutputs }> {
    const body = planCreate(inputs);
    const created = await this.#createOrFind(inputs, body, urn).catch(this.#worded("create", inputs.slug));
    // From here on the tenant exists: any failure is partial, so the engine records it. Settings
    // not yet read back count as missing, so that the next `up` sends them again.
    let known: ApiTenant = { ...created, settings: created.settings ?? {} };
    const managed = { ownerEmail: inputs.ownerEmail, settings: inputs.settings };
    const partial = (reason: string) => new PartialFailure(messages.partiallyCreated(reason, known.tenantId), known.tenantId, toOutputs(known, managed));
    try {
      const client = this.#connect();
      // POST answers without settings; read them back to see what was stored. A token that may
      // not read the tenant (reads are for its users) PATCHes every setting instead, and the
      // PATCH's answer, which carries the settings, is what gets verified.
      if (!created.settings && body.settings) {
        known = await client.getTenant(created.tenantId).catch((error: unknown) => {
          if (error instanceof PermissionDeniedError) return known;
          throw error;
        });
      }
      const patch = planPatch(toOutputs(known, managed), inputs);
      if (Object.keys(patch).length > 0) known = await client.updateTenant(known.tenantId, patch);
    } catch (error) {
      throw partial(this.#failedCall("create", inputs.slug, error));
    }
    const unapplied = unappliedFields(inputs, known);
    if (unapplied.length > 0) throw partial(messages.notApplied("create", inputs.slug, unapplied));
    return { id: known.tenantId, outputs: toOutputs(known, managed) };
  }

  /**
   * Refresh, or, with no outputs, import. Only the tenant API's own `not_found`, from a base URL
   * whose tenant list answers as documented, means the tenant is gone (undefined); any other 404
   * fails and says where to look. An import takes every setting CauseFlow reports as managed.
   */
  async read(id: string, old?: TenantOutputs): Promise<Refreshed | undefined> {
    const label = old?.slug ?? id;
    let tenant;
    try {
      tenant = await this.#connect().getTenant(id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw this.#worded("read", label)(error);
      const probe = isTenantNotFound(error) ? await this.#connect().probeTenantApi() : undefined;
      if (probe?.serves) return undefined;
      throw new WordedFailure(messages.untrustedNotFound(label, id, error, probe), { cause: error });
    }
    const outputs = toOutputs(tenant, { ownerEmail: old?.ownerEmail, settings: old ? old.settings : importedSettings(tenant) });
    return { outputs, inputs: inputsFromOutputs(outputs) };
  }

  /** PATCHes what changed, and verifies that CauseFlow applied it. */
  async update(id: string, olds: Props, inputs: TenantInputs): Promise<TenantOutputs> {
    const body = planPatch(olds, inputs);
    const client = this.#connect();
    const tenant = await (Object.keys(body).length === 0 ? client.getTenant(id) : client.updateTenant(id, body)).catch(this.#worded("update", inputs.slug));
    const outputs = toOutputs(tenant, { ownerEmail: inputs.ownerEmail, settings: inputs.settings });
    const unapplied = unappliedFields({ name: inputs.name, settings: inputs.settings }, tenant);
    if (unapplied.length > 0) throw new PartialFailure(messages.partiallyUpdated(messages.notApplied("update", inputs.slug, unapplied)), id, outputs);
    return outputs;
  }

  /** The API cannot delete tenants: the resource leaves the stack and the tenant stays in CauseFlow. No request. */
  delete(id: string, outputs: Props): string[] {
    return [removalWarning(id, outputs)];
  }

  /** A tenant as CauseFlow reports it, every setting included: by id, or by slug (a listing and reads). */
  async find(query: TenantQuery): Promise<TenantOutputs> {
    const label = "tenantId" in query ? query.tenantId : query.slug;
    const client = this.#connect();
    const tenant = await (async () => {
      if ("tenantId" in query) return client.getTenant(query.tenantId);
      const { tenant: found, unreadable } = await client.findTenantBySlug(query.slug);
      if (found) return found;
      throw new Error(messages.noTenantWithSlug(query.slug, unreadable));
    })().catch(this.#worded("read", label));
    return toOutputs(tenant, { ownerEmail: undefined, settings: reportedSettings(tenant) });
  }

  /**
   * The tenant for a create: the POST's answer (the client sends it again after a failure whose
   * outcome is unknown: a second POST creates the tenant or meets 409, since slugs are unique);
   * or, when an attempt's answer was lost, the tenant holding the slug if it is provably the one
   * that attempt created; or, with adoptExisting, the tenant holding the slug. Never a second
   * tenant, never one that is not recorded, never another program's without its opt-in.
   */
  async #createOrFind(inputs: TenantInputs, body: CreateTenantBody, urn: string | undefined): Promise<ApiTenant> {
    const client = this.#connect();
    const firstSentAt = Date.now();
    try {
      return await client.createTenant(body);
    } catch (error) {
      if (error instanceof CauseFlowError && error.unknownOutcome) return this.#findLostTenant(inputs, body, firstSentAt, error);
      if (error instanceof ConflictError && inputs.adoptExisting === true) return this.#adopt(inputs);
      if (error instanceof ConflictError) throw await this.#slugTaken(inputs, error, urn);
      throw error;
    }
  }

  /**
   * The error for a slug met taken: naming the tenant that holds it where this token can find it
   * (the failure path alone pays for the search), else the API's error as it is.
   */
  async #slugTaken(inputs: TenantInputs, error: ConflictError, urn: string | undefined): Promise<Error> {
    const holder = await this.#connect()
      .findTenantBySlug(inputs.slug, { prefer: (item) => item.name === inputs.name })
      .then((found) => found.tenant, () => undefined);
    if (holder === undefined) return error;
    return new WordedFailure(messages.failedCall("create", inputs.slug, error, messages.slugTaken(inputs.slug, holder, urn)), { cause: error });
  }

  /**
   * After an attempt whose answer was lost: the tenant it created, looked up among those with the
   * name and plan sent (list items carry both, so usually one is read), and taken only when
   * `provenanceDoubts` finds nothing against it.
   */
  async #findLostTenant(inputs: TenantInputs, body: CreateTenantBody, firstSentAt: number, failure: CauseFlowError): Promise<ApiTenant> {
    const client = this.#connect();
    const failed = messages.failedCall("create", inputs.slug, failure);
    let found: SlugSearchResult;
    try {
      found = await client.findTenantBySlug(inputs.slug, {
        only: (item) => item.name === body.name && (item.plan === undefined || item.plan === body.plan),
        outlastsCancel: true,
      });
    } catch (error) {
      throw new WordedFailure(messages.lostAnswer.searchFailed(failed, inputs.slug, error), { cause: error });
    }
    const { tenant, unreadable } = found;
    if (tenant) {
      const doubts = provenanceDoubts(body, tenant, client.toServerTime(firstSentAt));
      if (doubts.length === 0) return tenant;
      if (inputs.adoptExisting === true) return this.#adoptable(tenant, inputs);
      throw new WordedFailure(messages.lostAnswer.notProvablyOurs(failed, tenant.tenantId, doubts), { cause: failure });
    }
    const conflict = failure instanceof ConflictError;
    if (conflict && inputs.adoptExisting === true) return this.#adopt(inputs);
    throw new WordedFailure(messages.lostAnswer.notFound(failed, { name: body.name, plan: body.plan ?? DEFAULT_PLAN }, conflict, unreadable), { cause: failure });
  }

  /** The tenant holding the slug, for a program that opted in with adoptExisting. */
  async #adopt(inputs: TenantInputs): Promise<ApiTenant> {
    const { tenant, unreadable } = await this.#connect().findTenantBySlug(inputs.slug, { prefer: (item) => item.name === inputs.name });
    if (tenant) return this.#adoptable(tenant, inputs);
    throw new WordedFailure(messages.adoption.noReadableHolder(inputs.slug, unreadable));
  }

  /** The holder of the slug, if the program may take it over. */
  #adoptable(holder: ApiTenant, inputs: TenantInputs): ApiTenant {
    const reasons = adoptionConflicts(holder, inputs);
    if (reasons.length > 0) throw new WordedFailure(messages.adoption.refused(inputs.slug, reasons));
    return holder;
  }

  /** The configuration, resolved once; an invalid value fails every call, naming its key. */
  #settings(): ProviderConfig {
    this.#config ??= resolveConfig(this.#lookup, this.#env);
    return this.#config;
  }

  /** Words a failure for the user, once, where the operation gives up; one already worded passes as it is. */
  #worded(operation: messages.Operation, tenant: string): (error: unknown) => never {
    return (error) => {
      if (error instanceof WordedFailure) throw error;
      throw new WordedFailure(this.#failedCall(operation, tenant, error), { cause: error });
    };
  }

  /**
   * A failed call's words. A token the API refused is remembered, so that nothing more is sent
   * with it (#connect); a call in flight when another met the refusal says so briefly too.
   */
  #failedCall(operation: messages.Operation, tenant: string, error: unknown): string {
    if (error instanceof AuthenticationError) {
      this.#tokenRefusedFor ??= tenant;
      if (this.#tokenRefusedFor !== tenant) return messages.tokenRefused(this.#tokenRefusedFor);
    }
    return messages.failedCall(operation, tenant, error);
  }

  #connect(): CauseFlowClient {
    // A 401 is the token's, not the tenant's: once the API refused it, the other tenants of the
    // run fail at once, pointing at the one error that says how to fix it, instead of each
    // sending a request to be refused and repeating the remedy (a fleet's run, one error to read).
    if (this.#tokenRefusedFor !== undefined) throw new WordedFailure(messages.tokenRefused(this.#tokenRefusedFor));
    if (this.#client) return this.#client;
    const config = this.#settings();
    if (config.apiToken === undefined) throw new Error(missingTokenMessage());
    // Loaded here, not at the top: a preview (check, diff) never reaches the API.
    const { CauseFlowClient } = require("../client/client") as typeof import("../client/client");
    this.#client = new CauseFlowClient({
      baseUrl: config.apiUrl,
      token: config.apiToken,
      requestTimeoutMs: config.requestTimeoutMs,
      retry: { maxAttempts: config.maxAttempts, retryTimeoutMs: config.retryTimeoutMs },
    });
    if (this.#cancelled) this.#client.stopRetrying();
    return this.#client;
  }
}

/** The settings CauseFlow reports: the ones with a value. */
function reportedSettings(tenant: ApiTenant): TenantInputs["settings"] {
  return Object.fromEntries(Object.entries(tenant.settings ?? {}).filter(([, value]) => value !== null && value !== undefined));
}

/**
 * The settings an import takes as the program's: those CauseFlow reports, but `autoRemediation`
 * only when it is on. Off is every tenant's state until someone turns it on, so a program that
 * never mentions it (a tenant moved from the dynamic resource, say) sees no change.
 */
function importedSettings(tenant: ApiTenant): TenantInputs["settings"] {
  const { autoRemediation, ...others } = reportedSettings(tenant) ?? {};
  return autoRemediation ? { ...others, autoRemediation } : others;
}
