/**
 * A small model of the Pulumi engine's deployment steps for dynamic resources, driving the real
 * provider host: check, then diff against the stored state, then create, update or replace;
 * refresh reads; destroy deletes. It keeps a stack (the state file's resources) in memory.
 */
import { HostCallError, type ProviderHost, type Props } from "./host";
import type { Registration } from "./program";

export interface ResourceState {
  urn: string;
  id: string;
  /** The checked inputs, `__provider` included, as the state file stores them. */
  inputs: Props;
  outputs: Props;
  /** Dotted paths of inputs the program marked secret. */
  secretInputs: string[];
}

export type StepKind = "create" | "update" | "replace" | "same" | "refresh" | "delete" | "gone";

export interface Step {
  kind: StepKind;
  urn: string;
  /** Properties that differ between old and new inputs, as `pulumi preview --diff` lists them. */
  changed: string[];
  /** Properties whose change forces a replacement. */
  replaces: string[];
  /** Those of `changed` that the CLI shows as `[secret]`. */
  secrets: string[];
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

  constructor(private readonly host: ProviderHost) {}

  /** What `pulumi preview` decides for a resource: check and diff only, nothing is written. */
  async preview(resource: Registration): Promise<Step> {
    return (await this.plan(resource)).step;
  }

  /** What `pulumi up` does for a resource. A partial create is recorded in the stack before the error is rethrown. */
  async up(resource: Registration): Promise<Step> {
    const { step, inputs } = await this.plan(resource);
    const old = this.stack.get(resource.urn);
    try {
      if (step.kind === "create") await this.create(resource, inputs);
      else if (step.kind === "update") {
        const { outputs } = await this.host.update(resource.urn, old!.id, old!.outputs, inputs);
        this.stack.set(resource.urn, { ...old!, inputs, outputs, secretInputs: resource.secretPaths });
      } else if (step.kind === "replace") {
        // Create the replacement first (deleteBeforeReplace is false), checked afresh as the engine does.
        await this.create(resource, await this.check(resource.urn, {}, resource.inputs));
        await this.host.delete(resource.urn, old!.id, old!.outputs);
      } else if (old) this.stack.set(resource.urn, { ...old, inputs, secretInputs: resource.secretPaths });
    } catch (error) {
      // The model keeps one state per URN: a replacement that fails partway records the new
      // tenant in place of the old one, where the real engine would keep both until the delete.
      if (error instanceof HostCallError && error.partial) {
        const { id, properties: outputs } = error.partial;
        this.stack.set(resource.urn, { urn: resource.urn, id, inputs, outputs, secretInputs: resource.secretPaths });
      }
      throw error;
    }
    return step;
  }

  /** What `pulumi refresh` does: read every resource; a missing one leaves the stack. */
  async refresh(): Promise<Step[]> {
    const steps: Step[] = [];
    for (const state of [...this.stack.values()]) {
      const read = await this.host.read(state.urn, state.id, state.outputs, state.inputs);
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
    await this.host.delete(urn, state.id, state.outputs);
    this.stack.delete(urn);
    return { kind: "delete", urn, changed: [], replaces: [], secrets: [] };
  }

  private async plan(resource: Registration): Promise<{ step: Step; inputs: Props }> {
    const old = this.stack.get(resource.urn);
    const inputs = await this.check(resource.urn, old?.inputs ?? {}, resource.inputs);
    if (!old) return { step: { kind: "create", urn: resource.urn, changed: [], replaces: [], secrets: [] }, inputs };
    const diff = await this.host.diff(resource.urn, old.id, old.outputs, inputs);
    const kind: StepKind = diff.replaces.length > 0 ? "replace" : diff.changes === "none" ? "same" : "update";
    // The CLI shows no property diff for a resource the provider calls unchanged.
    const changed = kind === "same" ? [] : changedProperties(old.inputs, inputs);
    const secrets = secretAmong(changed, [...old.secretInputs, ...resource.secretPaths]);
    return { step: { kind, urn: resource.urn, changed, replaces: diff.replaces, secrets }, inputs };
  }

  private async check(urn: string, olds: Props, news: Props): Promise<Props> {
    const { inputs, failures } = await this.host.check(urn, olds, news);
    if (failures.length > 0) throw new CheckFailedError(urn, failures);
    return inputs;
  }

  private async create(resource: Registration, inputs: Props): Promise<void> {
    const { id, outputs } = await this.host.create(resource.urn, inputs);
    this.stack.set(resource.urn, { urn: resource.urn, id, inputs, outputs, secretInputs: resource.secretPaths });
  }
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

/** Dotted paths whose values differ, engine-internal `__` keys left out, as the CLI's diff view shows them. */
export function changedProperties(before: unknown, after: unknown, path = ""): string[] {
  const isObject = (value: unknown): value is Props => typeof value === "object" && value !== null && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !key.startsWith("__")).sort();
    return keys.flatMap((key) => changedProperties(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}
