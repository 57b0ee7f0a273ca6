/**
 * `npm run bench:plugin-start`: how fast the plugin starts, under Node.js from the package and as
 * the one executable of `npm run build:plugin`: spawn to its first answer, and to a finished first
 * create against the emulator, as the engine drives it over gRPC. Medians of 15 spawns each, the
 * two taking turns.
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
    // The sides take turns, spawn by spawn, so that a change in the machine's load falls on both.
    const answered = sides.map((): number[] => []);
    const created = sides.map((): number[] => []);
    for (let i = 0; i < SPAWNS; i++) {
      console.error(`bench: spawn ${i + 1} of ${SPAWNS} of each plugin`);
      for (const [side, [name, via]] of sides.entries()) {
        const started = performance.now();
        const host = await ProviderHost.startPlugin({ cwd: process.cwd(), via });
        try {
          await host.getPluginInfo();
          answered[side].push(performance.now() - started);
          await host.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
          const slug = `start-${i}-${name.replace(/\W+/g, "-")}`;
          await host.create(`urn:pulumi:bench::start::${PLUGIN_TENANT_TYPE}::${slug}`, { name: "Start", slug, ownerEmail: "owner@start.example", plan: "pro" });
          created[side].push(performance.now() - started);
        } finally {
          await host.stop();
        }
      }
    }
    for (const [side, [name]] of sides.entries()) console.log(`| ${name} | ${median(answered[side]).toFixed(0)} | ${median(created[side]).toFixed(0)} |`);
  } finally {
    await emulator.close();
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
