/**
 * The main job (`npm start`): one tenant created, changed, refreshed, replaced and removed
 * through the real dynamic-provider host, against the embedded emulator, printed as
 * `pulumi preview` and `pulumi up` would show it. Needs no Pulumi CLI and no CauseFlow account.
 */
import * as path from "node:path";
import { CauseFlowClient } from "../provider/client";
import { exitWithParent } from "../provider/lifeline";
import { Tenant, type TenantArgs } from "../sdk";
import { startEmulator } from "../emulator/server";
import { Engine, type Step } from "./engine";
import { ProviderHost } from "./host";
import { runProgram } from "./program";

const SYMBOLS: Record<Step["kind"], string> = {
  create: "+",
  update: "~",
  replace: "+-",
  same: " ",
  refresh: "~",
  delete: "-",
  gone: "-",
  import: "=",
};

/** How a step reads in the terminal, e.g. `~ causeflow:Tenant acme update [diff: ~name]`. */
export function formatStep(step: Step): string {
  const name = step.urn.split("::").pop();
  const shown = step.changed.map((path) => (step.secrets.includes(path) ? `~${path}: [secret]` : `~${path}`));
  const diff = shown.length > 0 ? ` [diff: ${shown.join(", ")}]` : "";
  const reason = step.replaces.length > 0 ? ` (replaces because ${step.replaces.join(", ")} changed)` : "";
  return `${SYMBOLS[step.kind]} causeflow:Tenant ${name} ${step.kind}${diff}${reason}`.trimStart();
}

async function main(): Promise<void> {
  const emulator = await startEmulator();
  // The host resolves @causeflow/pulumi from its working directory, as from a program's.
  const packageRoot = path.dirname(require.resolve("@causeflow/pulumi/package.json"));
  const host = await ProviderHost.start({ cwd: packageRoot });
  const engine = new Engine(host);
  let printed = 0;
  const log = (line = "") => console.log(line);
  /** Prints what the provider printed (its warnings) under the step that caused it. */
  const flushHostOutput = async () => {
    await host.drainOutput();
    for (const line of host.output.slice(printed)) log(`    ${line}`);
    printed = host.output.length;
  };

  const deploy = async (title: string, args: TenantArgs) => {
    log(`\n${title}`);
    const [tenant] = await runProgram(() => [new Tenant("acme", args)]);
    log(`  preview:  ${formatStep(await engine.preview(tenant))}`);
    await flushHostOutput();
    log(`  up:       ${formatStep(await engine.up(tenant))}`);
    await flushHostOutput();
    const { id, outputs } = engine.stack.get(tenant.urn)!;
    const { name, slug, plan, status, settings } = outputs;
    log(`  outputs:  tenantId=${id} name=${JSON.stringify(name)} slug=${slug} plan=${plan} status=${status}`);
    log(`            settings=${JSON.stringify(settings ?? {})}`);
  };

  try {
    log(`Emulated CauseFlow API on ${emulator.url}; the real Pulumi dynamic-provider host runs the provider.`);
    await host.configure({ "causeflow:apiUrl": emulator.url, "causeflow:apiToken": emulator.adminToken });

    const base = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro" as const };
    await deploy("1. Create a tenant linked to an AWS region", { ...base, settings: { awsRegion: "us-east-1" } });
    await deploy("2. Rename it, move its region and turn on auto-remediation", {
      ...base,
      name: "Acme Corporation",
      settings: { awsRegion: "us-west-2", autoRemediation: true },
    });

    log("\n3. Someone renames the tenant in the CauseFlow dashboard; `pulumi refresh` sees it");
    const [state] = engine.stack.values();
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    await client.updateTenant(state.id, { name: "Acme (renamed by hand)" });
    await client.close();
    for (const step of await engine.refresh()) log(`  refresh:  ${formatStep(step)}`);
    await deploy("   and `pulumi up` puts the program's name back", {
      ...base,
      name: "Acme Corporation",
      settings: { awsRegion: "us-west-2", autoRemediation: true },
    });

    await deploy("4. Change the slug: the tenant is replaced", {
      ...base,
      slug: "acme-corporation",
      name: "Acme Corporation",
      settings: { awsRegion: "us-west-2", autoRemediation: true },
    });

    log("\n5. Remove it from the program: it leaves the stack, and stays in CauseFlow");
    log(`  up:       ${formatStep(await engine.delete(state.urn))}`);
    await flushHostOutput();

    const remaining = emulator.store.all().map((t) => t.slug);
    log(`\nDone. Tenants in the stack: ${engine.stack.size}; tenants in CauseFlow (emulator): ${remaining.join(", ")}.`);
  } finally {
    await host.stop();
    await emulator.close();
  }
}

if (require.main === module) {
  // Killed with its npm, it must not leave the host behind: the host ends when this process does.
  exitWithParent();
  main().catch((error: Error) => {
    console.error(`quickstart failed: ${error.message}`);
    process.exit(1);
  });
}
