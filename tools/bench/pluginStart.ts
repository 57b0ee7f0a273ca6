/**
 * `npm run bench:plugin-start`: how fast the plugin starts, under Node.js from the package and as
 * the one executable of `npm run build:plugin`: spawn to its first answer, and to a finished first
 * create against the emulator, as the engine drives it over gRPC. Medians of 15 spawns each.
 */
import { performance } from "node:perf_hooks";
import { startEmulator } from "../emulator/server";
import { ProviderHost, type PluginOptions } from "../engine-model/host";
import { secret } from "../../provider/plugin/wire";
import { PLUGIN_TENANT_TYPE } from "../../provider/core/tenantRules";
import { exitWithParent } from "../../provider/lifeline/exitWithParent";
import { buildPluginBinary } from "../release/pluginBinary";

const SPAWNS = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  exitWithParent();
  const { binary } = buildPluginBinary(undefined, (line) => console.error(line));
  const emulator = await startEmulator();
  try {
    const sides: [string, PluginOptions["via"]][] = [
      ["node + package", "bin"],
      ["one executable", { executable: binary }],
    ];
    console.log("| plugin | spawn to first answer (ms) | spawn to finished first create (ms) |\n|---|---:|---:|");
    for (const [name, via] of sides) {
      const answered: number[] = [];
      const created: number[] = [];
      for (let i = 0; i < SPAWNS; i++) {
        console.error(`bench: ${name}, spawn ${i + 1} of ${SPAWNS}`);
        const started = performance.now();
        const host = await ProviderHost.startPlugin({ cwd: process.cwd(), via });
        try {
          await host.getPluginInfo();
          answered.push(performance.now() - started);
          await host.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
          const slug = `start-${answered.length}-${name.replace(/\W+/g, "-")}`;
          await host.create(`urn:pulumi:bench::start::${PLUGIN_TENANT_TYPE}::${slug}`, { name: "Start", slug, ownerEmail: "owner@start.example", plan: "pro" });
          created.push(performance.now() - started);
        } finally {
          await host.stop();
        }
      }
      console.log(`| ${name} | ${median(answered).toFixed(0)} | ${median(created).toFixed(0)} |`);
    }
  } finally {
    await emulator.close();
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
