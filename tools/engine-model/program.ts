/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and returns what it registers, in the
 * form the engine would hand the provider: unknowns as the engine's sentinel, and secrets
 * unwrapped with their paths noted for the dynamic host (which does not accept secrets), or kept
 * as the plugin (which does) receives them.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  type: string;
  name: string;
  urn: string;
  /** Wire form of the inputs, `__provider` included for dynamic resources. */
  inputs: Record<string, unknown>;
  /** Dotted paths of inputs that were secret in the program. */
  secretPaths: string[];
  /** URNs the engine must create first: resources the inputs refer to, and `dependsOn`. */
  dependencies: string[];
  /** The `protect` option, as the engine receives it. */
  protect: boolean;
  /** The explicit provider it names, by the provider's name; the default provider when absent. */
  provider?: string;
}

export interface ProgramOptions {
  project?: string;
  stack?: string;
  /** Preview: outputs of other resources that the mocks leave out stay unknown. */
  preview?: boolean;
  /** Outputs the mocks give resources of other types (by type token); default: echo the inputs. */
  outputsFor?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
  config?: Record<string, string>;
  /** Keep secrets wrapped, as a provider that accepts secrets receives them (the plugin). */
  keepSecrets?: boolean;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getObject(): { toJavaScript(): unknown };
}
type RegisterCallback = (error: unknown, response?: { getUrn(): string }) => void;

/**
 * Runs `program` and resolves once every resource it created has been registered. A program
 * that returns its resources is awaited through their URNs; one that returns nothing (a whole
 * Pulumi program, say) is awaited as the language host awaits it, by draining the runtime's
 * queue of pending calls.
 */
export async function runProgram(
  program: () => pulumi.Resource[] | void | Promise<pulumi.Resource[] | void>,
  options: ProgramOptions = {},
): Promise<Registration[]> {
  const registrations: Registration[] = [];
  const project = options.project ?? "causeflow";
  const stack = options.stack ?? "dev";
  if (options.config) pulumi.runtime.setAllConfig(options.config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state = options.outputsFor?.(args.type, args.name, args.inputs) ?? args.inputs;
        return { id: options.preview ? undefined : `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    project,
    stack,
    options.preview ?? false,
  );
  // The mocks see inputs deserialized, with secrets pushed up to the top-level key, and no
  // resource options; the engine sees the request. Record the request, in call order.
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: Function };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: RegisterRequest, callback: RegisterCallback) => {
    const secretPaths: string[] = [];
    const registration: Registration = {
      type: request.getType(),
      name: request.getName(),
      urn: "",
      inputs: toWire(request.getObject().toJavaScript(), "", secretPaths, options.keepSecrets ?? false) as Record<string, unknown>,
      secretPaths,
      dependencies: request.getDependenciesList(),
      protect: request.getProtect(),
    };
    registrations.push(registration);
    const recordUrn: RegisterCallback = (error, response) => {
      if (response) registration.urn = response.getUrn();
      callback(error, response);
    };
    return register(request, recordUrn);
  };
  const resources = await program();
  if (resources) {
    await Promise.all(resources.map((resource) => new Promise((resolve) => resource.urn.apply(resolve))));
  } else {
    await pulumi.runtime.disconnect();
  }
  return registrations;
}

/** Strips secret markers as the dynamic host receives values (or keeps them, for the plugin), noting where they were. */
function toWire(value: unknown, path: string, secretPaths: string[], keepSecrets: boolean): unknown {
  if (pulumi.runtime.isRpcSecret(value)) {
    secretPaths.push(path);
    const inner = toWire(pulumi.runtime.unwrapRpcSecret(value), path, secretPaths, keepSecrets);
    return keepSecrets ? { ...(value as object), value: inner } : inner;
  }
  if (Array.isArray(value)) return value.map((item, index) => toWire(item, `${path}[${index}]`, secretPaths, keepSecrets));
  if (typeof value === "object" && value !== null) {
    const wire: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) wire[key] = toWire(item, path ? `${path}.${key}` : key, secretPaths, keepSecrets);
    return wire;
  }
  return value;
}
