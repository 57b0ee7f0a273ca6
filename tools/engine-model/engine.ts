/**
 * A small model of the Pulumi engine's deployment steps, driving real providers (the dynamic
 * host, or the plugin): check, then diff against the stored state, then create, update or
 * replace; refresh reads; destroy deletes; import reads by id. It keeps a stack (the state
 * file's resources) in memory, and sends each resource to its provider, as the engine does.
 */
import { isSecret } from "../../provider/plugin/wire";
import { HostCallError, type DiffAnswer, type ProviderHost } from "./host";
import type { Props } from "../../provider/core/tenantRules";
import type { Registration } from "./program";

export interface ResourceState {
  urn: string;
  id: string;
  /** The checked inputs, `__provider` included, as the state file stores them. */
  inputs: Props;
  outputs: Props;
  /** Dotted paths of inputs the program marked secret. */
  secretInputs: string[];
  /** The provider that manages it: `default`, or an explicit provider's name. */
  provider?: string;
}

export type StepKind = "create" | "update" | "replace" | "same" | "refresh" | "delete" | "gone" | "import";

export interface Step {
  kind: StepKind;
  urn: string;
  /**
   * Properties that change, as `pulumi preview --diff` lists them: the provider's detailed diff
   * where it gives one (the plugin), else the paths where old and new inputs differ.
   */
  changed: string[];
  /** Properties whose change forces a replacement. */
  replaces: string[];
  /** Those of `changed` that the CLI shows as `[secret]`. */
  secrets: string[];
  /** The plugin's answer to the preview Create or Update: what `pulumi preview` shows as outputs. */
  previewOutputs?: Props;
}

/** Check failures, reported as the CLI reports them: one line per property. */
export class CheckFailedError extends Error {
  constructor(
    readonly urn: string,
    readonly failures: { property: string; reason: string }[],
  ) {
    super(`${urn}: invalid inputs:\n${failures.map((f) => `  ${f.property}: ${f.reason}`).join("\n")}`);
  }
}

export class Engine {
  /** The stack's resources by URN. */
  readonly stack = new Map<string, ResourceState>();
  readonly #providers: Record<string, ProviderHost>;

  /** One provider (the default), or providers by name, as a program's explicit providers are. */
  constructor(providers: ProviderHost | Record<string, ProviderHost>) {
    this.#providers = "check" in providers ? { default: providers as ProviderHost } : providers;
  }

  /**
   * What `pulumi preview` does for a resource: check and diff; a plugin (which supports previews)
   * is also asked what its create or update would give. Nothing is written.
   */
  async preview(resource: Registration): Promise<Step> {
    const { step, inputs } = await this.plan(resource);
    const host = this.hostOf(resource.provider);
    if (host.kind !== "plugin" || step.kind === "same") return step;
    const old = this.stack.get(resource.urn);
    const { outputs } =
      step.kind === "update" ? await host.update(resource.urn, old!.id, old!.outputs, inputs, true) : await host.create(resource.urn, inputs, true);
    return { ...step, previewOutputs: outputs };
  }

  /** What `pulumi up` does for a resource. A partial create is recorded in the stack before the error is rethrown. */
  async up(resource: Registration): Promise<Step> {
    const { step, inputs } = await this.plan(resource);
    const old = this.stack.get(resource.urn);
    const host = this.hostOf(resource.provider);
    try {
      if (step.kind === "create") await this.create(resource, inputs);
      else if (step.kind === "update") {
        const { outputs } = await host.update(resource.urn, old!.id, old!.outputs, inputs);
        this.stack.set(resource.urn, { ...old!, inputs, outputs, secretInputs: resource.secretPaths });
      } else if (step.kind === "replace") {
        // Create the replacement first (deleteBeforeReplace is false), checked afresh as the engine does.
        await this.create(resource, await this.check(resource, {}));
        await host.delete(resource.urn, old!.id, old!.outputs);
      } else if (old) this.stack.set(resource.urn, { ...old, inputs, secretInputs: resource.secretPaths });
    } catch (error) {
      // The model keeps one state per URN: a replacement that fails partway records the new
      // tenant in place of the old one, where the real engine would keep both until the delete.
      if (error instanceof HostCallError && error.partial) {
        const { id, properties: outputs } = error.partial;
        this.stack.set(resource.urn, { urn: resource.urn, id, inputs, outputs, secretInputs: resource.secretPaths, provider: resource.provider });
      }
      throw error;
    }
    return step;
  }

  /**
   * What `pulumi import <type> <name> <id>` does: Read with the id alone, which must answer inputs
   * as well as properties; then Check of those inputs, whose failures the CLI shows as warnings.
   */
  async import(urn: string, id: string, provider?: string): Promise<{ step: Step; warnings: string[] }> {
    const host = this.hostOf(provider);
    const read = await host.read(urn, id, {}, {});
    if (read.id === "" || read.inputs === undefined) throw new Error(`${urn}: the provider ${read.id === "" ? "found no resource" : "does not support importing"} ${id}`);
    const { failures } = await host.check(urn, read.inputs, read.inputs);
    this.stack.set(urn, { urn, id: read.id, inputs: read.inputs, outputs: read.outputs, secretInputs: [], provider });
    return { step: { kind: "import", urn, changed: [], replaces: [], secrets: [] }, warnings: failures.map((f) => `${f.property}: ${f.reason}`) };
  }

  /** What `pulumi refresh` does: read every resource; a missing one leaves the stack. */
  async refresh(): Promise<Step[]> {
    const steps: Step[] = [];
    for (const state of [...this.stack.values()]) {
      const read = await this.hostOf(state.provider).read(state.urn, state.id, state.outputs, state.inputs);
      if (read.id === "") {
        this.stack.delete(state.urn);
        steps.push({ kind: "gone", urn: state.urn, changed: [], replaces: [], secrets: [] });
        continue;
      }
      const inputs = read.inputs ?? state.inputs;
      this.stack.set(state.urn, { ...state, id: read.id, inputs, outputs: read.outputs });
      const changed = changedProperties(state.outputs, read.outputs);
      steps.push({ kind: "refresh", urn: state.urn, changed, replaces: [], secrets: secretAmong(changed, state.secretInputs) });
    }
    return steps;
  }

  /** What `pulumi destroy` (or removing the resource from the program) does. */
  async delete(urn: string): Promise<Step> {
    const state = this.stack.get(urn);
    if (!state) throw new Error(`${urn} is not in the stack`);
    await this.hostOf(state.provider).delete(urn, state.id, state.outputs);
    this.stack.delete(urn);
    return { kind: "delete", urn, changed: [], replaces: [], secrets: [] };
  }

  private hostOf(provider = "default"): ProviderHost {
    const host = this.#providers[provider];
    if (!host) throw new Error(`no provider named ${provider}`);
    return host;
  }

  private async plan(resource: Registration): Promise<{ step: Step; inputs: Props }> {
    const old = this.stack.get(resource.urn);
    const inputs = await this.check(resource, old?.inputs ?? {});
    if (!old) return { step: { kind: "create", urn: resource.urn, changed: [], replaces: [], secrets: [] }, inputs };
    const diff = await this.hostOf(resource.provider).diff(resource.urn, old.id, old.outputs, inputs);
    const kind: StepKind = diff.replaces.length > 0 ? "replace" : diff.changes === "none" ? "same" : "update";
    // The CLI shows no property diff for a resource the provider calls unchanged.
    const changed = kind === "same" ? [] : shownChanges(diff, old.inputs, inputs);
    const secrets = secretAmong(changed, [...old.secretInputs, ...resource.secretPaths]);
    return { step: { kind, urn: resource.urn, changed, replaces: diff.replaces, secrets }, inputs };
  }

  private async check(resource: Registration, olds: Props): Promise<Props> {
    const { inputs, failures } = await this.hostOf(resource.provider).check(resource.urn, olds, resource.inputs);
    if (failures.length > 0) throw new CheckFailedError(resource.urn, failures);
    return inputs;
  }

  private async create(resource: Registration, inputs: Props): Promise<void> {
    const { id, outputs } = await this.hostOf(resource.provider).create(resource.urn, inputs);
    this.stack.set(resource.urn, { urn: resource.urn, id, inputs, outputs, secretInputs: resource.secretPaths, provider: resource.provider });
  }
}

function shownChanges(diff: DiffAnswer, oldInputs: Props, inputs: Props): string[] {
  return diff.detailedDiff ? Object.keys(diff.detailedDiff).sort() : changedProperties(oldInputs, inputs);
}

/**
 * The output paths the engine stores as secret: the Go engine's `annotateSecrets`. Where an
 * output and its input are both objects it recurses, so one secret leaf does not taint its
 * parent; otherwise an output is secret when its input contains a secret.
 */
export function secretOutputPaths(outputs: Props, secretInputs: string[], prefix = ""): string[] {
  return Object.entries(outputs).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!secretInputs.some((secret) => secret === path || secret.startsWith(`${path}.`) || secret.startsWith(`${path}[`))) return [];
    const recurse = typeof value === "object" && value !== null && !Array.isArray(value) && !secretInputs.includes(path);
    return recurse ? secretOutputPaths(value as Props, secretInputs, path) : [path];
  });
}

function secretAmong(paths: string[], secretInputs: string[]): string[] {
  return paths.filter((path) => secretInputs.some((secret) => path === secret || path.startsWith(`${secret}.`)));
}

/**
 * Dotted paths whose values differ, engine-internal `__` keys left out, as the CLI's diff view
 * shows them. A secret (as a plugin's properties carry it) is one value, whatever it holds.
 */
export function changedProperties(before: unknown, after: unknown, path = ""): string[] {
  const isObject = (value: unknown): value is Props => typeof value === "object" && value !== null && !Array.isArray(value) && !isSecret(value);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !key.startsWith("__")).sort();
    return keys.flatMap((key) => changedProperties(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}
