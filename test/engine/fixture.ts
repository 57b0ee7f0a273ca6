/**
 * A stack against a fresh emulator, run by the real provider host: what the lifecycle tests share.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator, type StartOptions } from "../../emulator/server";
import { Engine } from "../../engine/engine";
import { ProviderHost } from "../../engine/host";
import { runProgram, type ProgramOptions, type Registration } from "../../engine/program";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface Stack {
  emulator: RunningEmulator;
  host: ProviderHost;
  engine: Engine;
  /** Registers the tenant `name` with these args, as a program run would. */
  tenant(args: causeflow.TenantArgs, name?: string, options?: ProgramOptions): Promise<Registration>;
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
): Promise<Stack> {
  const emulator = await startEmulator(emulatorOptions);
  const host = await ProviderHost.start({ cwd: REPO_ROOT, env: hostEnv }).catch(async (error) => {
    await emulator.close();
    throw error;
  });
  const merged: Record<string, string | undefined> = {
    "causeflow:apiUrl": emulator.url,
    "causeflow:apiToken": emulator.adminToken,
    "causeflow:maxAttempts": "2",
    ...config,
  };
  await host.configure(Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>);
  const tokens = [emulator.adminToken, emulator.memberToken, merged["causeflow:apiToken"]].filter((t): t is string => !!t);
  return {
    emulator,
    host,
    engine: new TokenGuardedEngine(host, tokens),
    async tenant(args, name = "acme", options) {
      const [registration] = await runProgram(() => [new causeflow.Tenant(name, args)], options);
      return registration;
    },
    async close() {
      await host.stop();
      await emulator.close();
      assertNoToken(tokens, host.output.join("\n"), "the provider host's output");
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
