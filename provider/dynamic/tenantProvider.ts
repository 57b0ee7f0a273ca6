/**
 * The dynamic ResourceProvider for causeflow.Tenant: the tenant operations (../core/operations.ts)
 * in the shape the dynamic-provider host calls, with stack config as configuration and warnings
 * printed.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PACKAGE_NAME, stackKey, unknownSettings } from "../core/config";
import { PartialFailure, Tenants } from "../core/operations";
import type { Props } from "../core/tenantRules";
import type { TenantInputs, TenantOutputs } from "../core/tenantSchema";

export class TenantProvider implements pulumi.dynamic.ResourceProvider {
  readonly #tenants = new Tenants();

  /**
   * Takes the stack config (`causeflow:*`), with the environment as fallback. The host calls this
   * once per distinct `__provider` text, and every text loads this one provider, all with the
   * process's one stack config.
   */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.#tenants.configure((name) => req.config.get(stackKey(name)), process.env);
    misspeltKeys(req.config).forEach(warn);
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const { inputs, failures, warnings } = this.#tenants.check(olds ?? {}, news);
    warnings.forEach(warn);
    return { inputs, failures };
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const { replaces, updates, warnings } = this.#tenants.diff(id, olds, news);
    warnings.forEach(warn);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  }

  async create(props: Props): Promise<pulumi.dynamic.CreateResult<TenantOutputs>> {
    const { id, outputs } = await partial(props, () => this.#tenants.create(props as unknown as TenantInputs));
    return { id, outs: outputs };
  }

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult<TenantOutputs>> {
    const found = await this.#tenants.read(id, props as unknown as TenantOutputs);
    if (!found) return { id: "" };
    return { id, props: found.outputs, inputs: found.inputs as unknown as TenantOutputs };
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult<TenantOutputs>> {
    return { outs: await partial(news, () => this.#tenants.update(id, olds, news as unknown as TenantInputs)) };
  }

  async delete(id: string, props: Props): Promise<void> {
    this.#tenants.delete(id, props).forEach(warn);
  }
}

/**
 * Runs a create or update, turning a partial failure into what the host packs as
 * ErrorResourceInitFailed: `id`, `properties` (with `__provider`, so the state keeps working) and
 * `reasons` on the rejection.
 */
async function partial<T>(props: Props, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof PartialFailure)) throw error;
    throw Object.assign(new Error(error.message), {
      id: error.id,
      properties: { ...error.outputs, __provider: props.__provider },
      reasons: [error.message],
    });
  }
}

/**
 * The stack's `causeflow:` keys that are no setting (a misspelling such as `causeflow:apiURL`
 * would leave that setting at its default), as warnings: not errors, since a project named
 * `causeflow` keeps its own config under the same namespace. The host's config object holds the
 * whole stack config as `rawConfig` (an older host may not: then none are found).
 */
function misspeltKeys(config: pulumi.dynamic.ConfigureRequest["config"]): string[] {
  const raw = (config as { rawConfig?: Record<string, unknown> }).rawConfig ?? {};
  const prefix = `${PACKAGE_NAME}:`;
  const keys = Object.keys(raw).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  return unknownSettings(keys).map(({ key, reason }) => `${prefix}${key} ${reason}.`);
}

/**
 * Prints a warning for the user. Plugin output reaches the user as a diagnostic of the stack
 * (Pulumi 3.146 and later); stderr, because stdout's first line must be the host's port.
 */
function warn(message: string): void {
  console.error(`warning: ${message}`);
}
