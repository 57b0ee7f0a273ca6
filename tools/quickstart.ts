/**
 * The main job (`npm start`), against the embedded emulator, printed as `pulumi preview` and
 * `pulumi up` would show it: one tenant created, changed, refreshed, replaced and removed through
 * the real dynamic-provider host; then the plugin creating and updating one, importing the first,
 * and looking one up. Needs no Pulumi CLI and no CauseFlow account.
 */
import { CauseFlowClient } from "../provider/client/client";
import { exitWithParent } from "../provider/lifeline/exitWithParent";
import { GET_TENANT } from "../provider/core/tenantRules";
import { revealSecrets, secret } from "../provider/plugin/wire";
import { Tenant, type TenantArgs } from "../sdk/dynamic";
import { startEmulator } from "./emulator/server";
import { Engine, type Step } from "./engine-model/engine";
import { ProviderHost } from "./engine-model/host";
import { PluginTenant } from "./engine-model/pluginTenant";
import { runProgram } from "./engine-model/program";
import { PACKAGE_ROOT } from "./packageRoot";

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
  const [, , type, name] = step.urn.split("::");
  const shown = step.changed.map((path) => (step.secrets.includes(path) ? `~${path}: [secret]` : `~${path}`));
  const diff = shown.length > 0 ? ` [diff: ${shown.join(", ")}]` : "";
  const reason = step.replaces.length > 0 ? ` (replaces because ${step.replaces.join(", ")} changed)` : "";
  return `${SYMBOLS[step.kind]} ${type.replace(/^pulumi-nodejs:dynamic\//, "")} ${name} ${step.kind}${diff}${reason}`.trimStart();
}

const log = (line = "") => console.log(line);

/** A stack on one host, printing each step as the CLI shows it, and what the provider said under it. */
function stackOn(host: ProviderHost, Resource: typeof Tenant | typeof PluginTenant) {
  const engine = new Engine(host);
  let printed = 0;
  const flushHostOutput = async () => {
    await host.drainOutput();
    for (const line of host.output.slice(printed)) log(`    ${line}`);
    printed = host.output.length;
  };
  const register = async (args: TenantArgs, name: string) => (await runProgram(() => [new Resource(name, args)], { keepSecrets: host.kind === "plugin" }))[0];
  return {
    engine,
    flushHostOutput,
    register,
    async deploy(title: string, args: TenantArgs, resourceName = "acme") {
      log(`\n${title}`);
      const tenant = await register(args, resourceName);
      log(`  preview:  ${formatStep(await engine.preview(tenant))}`);
      await flushHostOutput();
      log(`  up:       ${formatStep(await engine.up(tenant))}`);
      await flushHostOutput();
      const { id, outputs } = engine.stack.get(tenant.urn)!;
      const { name, slug, plan, status, settings } = revealSecrets(outputs).value as Record<string, unknown>;
      const shownSettings = { ...(settings as object), ...("awsExternalId" in ((settings as object) ?? {}) ? { awsExternalId: "[secret]" } : {}) };
      log(`  outputs:  tenantId=${id} name=${JSON.stringify(name)} slug=${slug} plan=${plan} status=${status}`);
      log(`            settings=${JSON.stringify(shownSettings)}`);
    },
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulator();
  // Each host resolves @causeflow/pulumi from its working directory, as from a program's.
  const [dynamicHost, plugin] = await Promise.all([ProviderHost.start({ cwd: PACKAGE_ROOT }), ProviderHost.startPlugin({ cwd: PACKAGE_ROOT })]);
  try {
    log(`Emulated CauseFlow API on ${emulator.url}.`);
    await dynamicHost.configure({ "causeflow:apiUrl": emulator.url, "causeflow:apiToken": emulator.adminToken });
    await plugin.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });

    log("\nA. causeflow.Tenant, the dynamic resource of TypeScript programs, run by the real dynamic-provider host");
    const dynamic = stackOn(dynamicHost, Tenant);
    const base = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com", plan: "pro" as const };
    await dynamic.deploy("1. Create a tenant linked to an AWS region", { ...base, settings: { awsRegion: "us-east-1" } });
    await dynamic.deploy("2. Rename it, move its region and turn on auto-remediation", {
      ...base,
      name: "Acme Corporation",
      settings: { awsRegion: "us-west-2", autoRemediation: true },
    });

    log("\n3. Someone renames the tenant in the CauseFlow dashboard; `pulumi refresh` sees it");
    const [state] = dynamic.engine.stack.values();
    const client = new CauseFlowClient({ baseUrl: emulator.url, token: emulator.adminToken });
    await client.updateTenant(state.id, { name: "Acme (renamed by hand)" });
    for (const step of await dynamic.engine.refresh()) log(`  refresh:  ${formatStep(step)}`);
    const renamed = { ...base, name: "Acme Corporation", settings: { awsRegion: "us-west-2", autoRemediation: true } };
    await dynamic.deploy("   and `pulumi up` puts the program's name back", renamed);

    const moved = { ...renamed, slug: "acme-corporation" };
    await dynamic.deploy("4. Change the slug: the tenant is replaced", moved);

    log("\n5. Remove it from the program: it leaves the stack, and stays in CauseFlow");
    const [left] = dynamic.engine.stack.values();
    log(`  up:       ${formatStep(await dynamic.engine.delete(state.urn))}`);
    await dynamic.flushHostOutput();

    log("\nB. The causeflow plugin (pulumi-resource-causeflow), for every Pulumi language");
    const native = stackOn(plugin, PluginTenant);
    const globex = { name: "Globex", slug: "globex", ownerEmail: "it@globex.example" };
    const created = "6. Create a tenant; its external ID is a secret, whether or not the program says so";
    await native.deploy(created, { ...globex, settings: { awsRegion: "eu-west-1", awsExternalId: "globex-external-id" } }, "globex");
    const movedRegion = "7. Move its region: the preview shows the plugin's detailed diff";
    await native.deploy(movedRegion, { ...globex, settings: { awsRegion: "eu-central-1", awsExternalId: "globex-external-id" } }, "globex");

    log(`\n8. \`pulumi import causeflow:index:Tenant acme ${left.id}\`: the tenant step 5 left in CauseFlow, now under the plugin`);
    const urn = `urn:pulumi:dev::causeflow::causeflow:index:Tenant::acme`;
    const imported = await native.engine.import(urn, left.id);
    log(`  import:   ${formatStep(imported.step)}`);
    for (const warning of imported.warnings) log(`    warning: ${warning} (CauseFlow never returns it: add it to the generated program)`);
    log(`  preview:  ${formatStep(await native.engine.preview(await native.register(moved, "acme")))}`);

    log("\n9. `causeflow.getTenant({ slug: \"globex\" })`, a data source");
    const found = await plugin.invoke(GET_TENANT, { slug: "globex" });
    const { tenantId, plan, status } = revealSecrets(found.returned).value as Record<string, unknown>;
    log(`  result:   tenantId=${tenantId} plan=${plan} status=${status}`);
    await client.close();

    const remaining = emulator.store.all().map((t) => t.slug);
    log(`\nDone. Tenants in the dynamic stack: ${dynamic.engine.stack.size}; in the plugin's: ${native.engine.stack.size}; in CauseFlow (emulator): ${remaining.join(", ")}.`);
  } finally {
    await Promise.all([dynamicHost.stop(), plugin.stop()]);
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
