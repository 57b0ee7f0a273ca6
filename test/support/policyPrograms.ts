/**
 * The example programs as the pack's tests run them: under mocks, in a stack of the test's
 * choosing, in either resource form. The plugin form is the same program with `causeflow.Tenant`
 * swapped for the plugin's Tenant (tools/engine-model/pluginTenant.ts: what a program using the SDK generated
 * from the plugin's schema registers); a test file opts in with
 * `jest.mock("@causeflow/pulumi", () => require("./policyPrograms").sdkInEitherForm())`.
 */
import * as causeflow from "@causeflow/pulumi";
import { PluginTenant } from "../../tools/engine-model/pluginTenant";
import { runProgram, type Registration } from "../../tools/engine-model/program";
import { exampleConfig, projectName, providerOutputs } from "./examples";

export const FORMS = ["dynamic", "plugin"] as const;
export type Form = (typeof FORMS)[number];

let form: Form = "dynamic";

/** The Tenant class programs get from `@causeflow/pulumi` from now on. */
function useForm(next: Form): void {
  form = next;
}

/** `@causeflow/pulumi` whose Tenant is the one of the form in use. */
export function sdkInEitherForm(): typeof causeflow {
  const actual = jest.requireActual<typeof causeflow>("@causeflow/pulumi");
  return {
    ...actual,
    __esModule: true,
    get Tenant() {
      return (form === "plugin" ? PluginTenant : actual.Tenant) as typeof causeflow.Tenant;
    },
  } as typeof causeflow;
}

export interface RunOptions {
  stack?: string;
  /** Stack config beside the example's Pulumi.dev.yaml.example (keys without a namespace get the project's). */
  config?: Record<string, string>;
  /** As `pulumi preview` runs it: outputs of resources not created yet are unknown. */
  preview?: boolean;
}

/** Runs an example's exported program in `form`, returning what it registers. */
export async function runExampleAs(form: Form, example: string, program: () => unknown, options: RunOptions = {}): Promise<Registration[]> {
  const project = projectName(example);
  const config = Object.fromEntries(Object.entries(options.config ?? {}).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value]));
  return runAs(form, () => void program(), { project, stack: options.stack, preview: options.preview, config: { ...exampleConfig(example), ...config } });
}

/** Runs a program in `form`, with the examples' mock outputs (none in preview). */
export async function runAs(
  next: Form,
  program: () => void,
  options: { project?: string; stack?: string; preview?: boolean; config?: Record<string, string> } = {},
): Promise<Registration[]> {
  useForm(next);
  try {
    return await runProgram(program, { ...options, outputsFor: options.preview ? undefined : providerOutputs });
  } finally {
    useForm("dynamic");
  }
}
