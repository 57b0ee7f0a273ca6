/**
 * Journey 6: a tenant moved from the dynamic `causeflow.Tenant` to the plugin's
 * `causeflow:index:Tenant` without being recreated, through the real Pulumi CLI, exactly as docs
 * tell users: drop it from the program and `pulumi up` (it stays in CauseFlow), then declare it
 * with the plugin under the same inputs and the `import` resource option, which a YAML program
 * shares with `pulumi import` (yaml.test.ts). The TypeScript program declares the plugin's
 * resource by its type token (tools/engine-model/pluginTenant.ts), as a generated SDK's class does.
 */
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import * as causeflow from "@causeflow/pulumi";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { PluginTenant } from "../../tools/engine-model/pluginTenant";
import { CliWorkspace, describeWithCli, printed, writesTo } from "../support/cli/workspace";

describeWithCli()("moving a tenant from causeflow.Tenant to the plugin, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let stack: Stack;
  let declare: "dynamic" | "plugin" | "nothing" = "dynamic";
  let importId: string | undefined;
  const args: causeflow.TenantArgs = { name: "Moving Co", slug: "cli-moving", ownerEmail: "owner@moving.example", plan: "business", settings: { awsRegion: "eu-central-1" } };

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-move-");
    // The plugin as `npm install -g @causeflow/pulumi` puts it: on PATH.
    workspace.env.PATH = `${workspace.pluginFolder()}${path.delimiter}${workspace.env.PATH}`;
    stack = await workspace.inlineStack("cli-move", "dev", async () => {
      const tenant = declare === "dynamic" ? new causeflow.Tenant("acme", args) : declare === "plugin" ? new PluginTenant("acme", args, { import: importId }) : undefined;
      return tenant ? { tenantId: tenant.id } : {};
    }, emulator);
    await stack.up();
  }, 180_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it("keeps the tenant in CauseFlow when the dynamic resource leaves the program, and says so", async () => {
    const [tenant] = emulator.store.all();
    declare = "nothing";
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ delete: 1 });
    expect(printed(up)).toContain(`CauseFlow tenant "cli-moving" (${tenant.tenantId}) was removed from the Pulumi stack but still exists`);
    expect(emulator.store.all()).toEqual([tenant]);
  }, 300_000);

  it("imports it by id with the `import` option and the plugin: an import, then no change, and no request that writes", async () => {
    const [tenant] = emulator.store.all();
    declare = "plugin";
    importId = tenant.tenantId;
    emulator.journal.length = 0;
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ import: 1 });
    expect(up.outputs.tenantId.value).toBe(tenant.tenantId);
    expect(printed(up)).not.toContain(emulator.adminToken);
    // On PATH, as after `npm install -g`, the plugin draws the CLI's warning on every run (docs/installation-configuration.md).
    expect(printed(up)).toContain("using pulumi-resource-causeflow from $PATH");
    importId = undefined;
    const preview = await stack.preview({ diff: true, expectNoChanges: true });
    expect(preview.changeSummary).not.toHaveProperty("update");
    expect(writesTo(emulator)).toEqual([]);
    expect(emulator.store.all()).toEqual([tenant]);
  }, 300_000);
});
