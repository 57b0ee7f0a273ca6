/**
 * Runs an example's real program under mocks, with its stack config example as the stack's
 * config, as `pulumi up` would after the README's steps.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { runProgram, type Registration } from "../../tools/engine-model/program";
import { REPO_ROOT } from "./repo";

export const EXTERNAL_ID = "generated-external-id";

/** What the providers would return: a generated password, an ARN per role, an id per tenant. */
export function providerOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === "random:index/randomPassword:RandomPassword") return { ...inputs, result: EXTERNAL_ID };
  if (type === "aws:iam/role:Role") return { ...inputs, arn: `arn:aws:iam::123456789012:role/${name}` };
  if (type === "pulumi-nodejs:dynamic/causeflow:Tenant") return { ...inputs, tenantId: `ten_${inputs.slug}` };
  return inputs;
}

export function exampleFile(example: string, file: string): string {
  return path.join(REPO_ROOT, "examples", "typescript", example, file);
}

export function projectName(example: string): string {
  return (parse(readFileSync(exampleFile(example, "Pulumi.yaml"), "utf8")) as { name: string }).name;
}

/** The example stack config as the program sees it: every value a string. */
export function exampleConfig(example: string): Record<string, string> {
  const { config } = parse(readFileSync(exampleFile(example, "Pulumi.dev.yaml.example"), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, String(value)]));
}

export interface ExampleRun<Outputs> {
  registrations: Registration[];
  outputs: Outputs;
  /** The registrations of one type, by name. */
  byType(type: string): Map<string, Registration>;
}

/** Runs `program` (the example's exported function) with the example config plus `config` (undefined removes a key). */
export async function runExample<Outputs>(
  example: string,
  program: () => Outputs,
  config: Record<string, string | undefined> = {},
): Promise<ExampleRun<Outputs>> {
  const project = projectName(example);
  const merged = { ...exampleConfig(example), ...config };
  let outputs: Outputs | undefined;
  const registrations = await runProgram(
    () => {
      outputs = program();
    },
    {
      project,
      config: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      outputsFor: providerOutputs,
    },
  );
  const byType = (type: string) => new Map(registrations.filter((r) => r.type === type).map((r) => [r.name, r]));
  return { registrations, outputs: outputs as Outputs, byType };
}

/** The npm packages these TypeScript files import (`@scope/name` or `name`), Node's built-ins and relative paths left out. */
export function packagesImportedBy(files: string[]): string[] {
  const packages = new Set<string>();
  for (const file of files) {
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:\bfrom\s+|(?<![.\w$])require\()"([^"]+)"/g)) {
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      packages.add(specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
    }
  }
  return [...packages].sort();
}

/** Resolves an output of the program (a stack output) to its value. */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

/**
 * The install scripts a package beside the root (an example, the policy pack) must skip as the
 * root does: the root's `allowScripts`, but for its own build tools (its direct devDependencies
 * that the package does not install, such as esbuild).
 */
export function allowScriptsFor(
  root: { allowScripts?: Record<string, boolean>; devDependencies?: Record<string, string> },
  pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> },
): Record<string, boolean> {
  const installs = (name: string) => name in (pkg.dependencies ?? {}) || name in (pkg.devDependencies ?? {});
  return Object.fromEntries(Object.entries(root.allowScripts ?? {}).filter(([name]) => !(name in (root.devDependencies ?? {})) || installs(name)));
}
