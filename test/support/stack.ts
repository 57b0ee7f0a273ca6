/**
 * A stack against a fresh emulator, run by a real provider (the dynamic host, or the plugin):
 * what the lifecycle tests share.
 */
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator, type StartOptions } from "../../tools/emulator/server";
import { Engine } from "../../tools/engine-model/engine";
import { ProviderHost } from "../../tools/engine-model/host";
import { PluginTenant } from "../../tools/engine-model/pluginTenant";
import { runProgram, type ProgramOptions, type Registration } from "../../tools/engine-model/program";

import { REPO_ROOT } from "./repo";

/** The two hosts of the one provider core, for suites that must hold for both. */
export const HOSTS = ["dynamic", "plugin"] as const;
export type HostKind = (typeof HOSTS)[number];

/** Starts a host of this kind in the repository, as the engine starts it for a program there. */
export function startHost(kind: HostKind, env: NodeJS.ProcessEnv = {}): Promise<ProviderHost> {
  return kind === "dynamic" ? ProviderHost.start({ cwd: REPO_ROOT, env }) : ProviderHost.startPlugin({ cwd: REPO_ROOT, env });
}

/**
 * Configures a host as the engine does: the dynamic host takes the stack config (`causeflow:apiUrl`),
 * the plugin the default provider's inputs (`apiUrl`, taken from that same stack config).
 */
export function configureHost(host: ProviderHost, stackConfig: Record<string, string>, provider = "default"): Promise<void> {
  if (host.kind === "dynamic") return host.configure(stackConfig);
  const inputs = Object.fromEntries(Object.entries(stackConfig).map(([key, value]) => [key.replace(/^causeflow:/, ""), value]));
  return host.configure(inputs, { name: provider });
}

export interface Stack {
  emulator: RunningEmulator;
  host: ProviderHost;
  engine: Engine;
  /** Registers the tenant `name` with these args, as a program run would. */
  tenant(args: causeflow.TenantArgs, name?: string, options?: ProgramOptions): Promise<Registration>;
  /** The Tenant class a program for this host uses: the dynamic `causeflow.Tenant`, or the plugin's. */
  Tenant: typeof causeflow.Tenant | typeof PluginTenant;
  /** Runs a program, its registrations in the form this host receives them. */
  run(program: () => pulumi.Resource[], options?: ProgramOptions): Promise<Registration[]>;
  close(): Promise<void>;
}

/**
 * Starts an emulator and a provider host configured against it. `config` adds or overrides
 * stack config; a value of undefined removes the key (for example to run without a token).
 */
export async function startStack(
  config: Record<string, string | undefined> = {},
  emulatorOptions: StartOptions = {},
  hostEnv: NodeJS.ProcessEnv = {},
  kind: HostKind = "dynamic",
): Promise<Stack> {
  const emulator = await startEmulator(emulatorOptions);
  const host = await startHost(kind, hostEnv).catch(async (error) => {
    await emulator.close();
    throw error;
  });
  const merged: Record<string, string | undefined> = {
    "causeflow:apiUrl": emulator.url,
    "causeflow:apiToken": emulator.adminToken,
    "causeflow:maxAttempts": "2",
    ...config,
  };
  await configureHost(host, Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>).catch(async (error) => {
    await host.stop();
    await emulator.close();
    throw error;
  });
  const Tenant = kind === "dynamic" ? causeflow.Tenant : PluginTenant;
  const run = (program: () => pulumi.Resource[], options?: ProgramOptions) => runProgram(program, { ...options, keepSecrets: kind === "plugin" });
  const tokens = [emulator.adminToken, emulator.memberToken, merged["causeflow:apiToken"]].filter((t): t is string => !!t);
  return {
    emulator,
    host,
    engine: new TokenGuardedEngine(host, tokens),
    Tenant,
    run,
    async tenant(args, name = "acme", options) {
      const [registration] = await run(() => [new Tenant(name, args)], options);
      return registration;
    },
    async close() {
      await host.stop();
      await emulator.close();
      assertNoToken(tokens, host.output.join("\n"), "the provider host's output");
      assertNoToken(tokens, host.debugOutput.join("\n"), "the plugin's debug output");
    },
  };
}

/**
 * The engine of every test stack checks each state it keeps and each error it raises for the API
 * tokens, so every scenario of the suite proves that no token reaches state, outputs or errors.
 */
class TokenGuardedEngine extends Engine {
  constructor(
    host: ProviderHost,
    private readonly tokens: string[],
  ) {
    super(host);
  }

  override up(resource: Registration) {
    return this.guard(() => super.up(resource));
  }
  override preview(resource: Registration) {
    return this.guard(() => super.preview(resource));
  }
  override refresh() {
    return this.guard(() => super.refresh());
  }
  override delete(urn: string) {
    return this.guard(() => super.delete(urn));
  }

  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const { message, stack } = error as Error;
      assertNoToken(this.tokens, JSON.stringify({ ...(error as object), message, stack }), "an error");
      throw error;
    } finally {
      assertNoToken(this.tokens, JSON.stringify([...this.stack.values()]), "the stack's state");
    }
  }
}

function assertNoToken(tokens: string[], text: string, where: string): void {
  for (const token of tokens) {
    if (text.includes(token)) throw new Error(`An API token leaked into ${where}`);
  }
}

/** A resource of another provider whose outputs stay unknown in preview (an IAM role, say). */
export class PendingRole extends pulumi.CustomResource {
  declare readonly arn: pulumi.Output<string>;
  constructor(name: string) {
    super("aws:iam/role:Role", name, { arn: undefined });
  }
}
