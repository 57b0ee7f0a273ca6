/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and returns what it registers, in the
 * form the engine would hand the provider host: unknowns as the engine's sentinel, secrets
 * unwrapped (the host does not accept secrets) with their paths noted.
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
}

export interface ProgramOptions {
  project?: string;
  stack?: string;
  /** Preview: outputs of other resources that the mocks leave out stay unknown. */
  preview?: boolean;
  /** Outputs the mocks give resources of other types (by type token); default: echo the inputs. */
  outputsFor?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
  config?: Record<string, string>;
}

/** Runs `program` and resolves once every resource it created has been registered. */
export async function runProgram(
  program: () => pulumi.Resource[] | Promise<pulumi.Resource[]>,
  options: ProgramOptions = {},
): Promise<Registration[]> {
  const registrations: Registration[] = [];
  const project = options.project ?? "causeflow";
  const stack = options.stack ?? "dev";
  if (options.config) pulumi.runtime.setAllConfig(options.config);
  // The mocks see inputs deserialized, with secrets pushed up to the top-level key; the engine
  // sees the wire form, nested secrets in place. Take the wire form from the monitor's request.
  const wireByName = new Map<string, unknown>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const secretPaths: string[] = [];
        const inputs = toWire(wireByName.get(args.name), "", secretPaths) as Record<string, unknown>;
        const urn = `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`;
        registrations.push({ type: args.type, name: args.name, urn, inputs, secretPaths });
        const state = options.outputsFor?.(args.type, args.name, args.inputs) ?? args.inputs;
        return { id: options.preview ? undefined : `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    project,
    stack,
    options.preview ?? false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: Function };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: { getName(): string; getObject(): { toJavaScript(): unknown } }, ...rest: unknown[]) => {
    wireByName.set(request.getName(), request.getObject().toJavaScript());
    return register(request, ...rest);
  };
  const resources = await program();
  await Promise.all(resources.map((resource) => new Promise((resolve) => resource.urn.apply(resolve))));
  return registrations;
}

/** Strips secret markers as the host (which accepts no secrets) receives values, noting where they were. */
function toWire(value: unknown, path: string, secretPaths: string[]): unknown {
  if (pulumi.runtime.isRpcSecret(value)) {
    secretPaths.push(path);
    return toWire(pulumi.runtime.unwrapRpcSecret(value), path, secretPaths);
  }
  if (Array.isArray(value)) return value.map((item, index) => toWire(item, `${path}[${index}]`, secretPaths));
  if (typeof value === "object" && value !== null) {
    const wire: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) wire[key] = toWire(item, path ? `${path}.${key}` : key, secretPaths);
    return wire;
  }
  return value;
}
