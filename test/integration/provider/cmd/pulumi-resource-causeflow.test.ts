/**
 * The plugin's command, as a person or the engine starts it: `--version` and `--help` answer, a
 * missing engine address is refused with the usage, and an error that escapes every handler fails
 * the calls in flight instead of leaving the engine waiting.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { startEmulator } from "../../../../tools/emulator/server";
import { ProviderHost } from "../../../../tools/engine-model/host";
import { secret } from "../../../../provider/plugin/wire";
import { PLUGIN_TENANT_TYPE } from "../../../../provider/core/tenantRules";
import { FIXTURES, REPO_ROOT } from "../../../support/repo";

const { bin, version } = require("@causeflow/pulumi/package.json") as { bin: Record<string, string>; version: string };
const command = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, bin["pulumi-resource-causeflow"]), ...args], { encoding: "utf8", timeout: 10_000 });

it("prints the package's version for --version, and exits", () => {
  const { status, stdout, stderr } = command("--version");
  expect([status, stdout, stderr]).toEqual([0, `${version}\n`, ""]);
});

it("prints its usage for --help, naming both flags, and exits", () => {
  const { status, stdout } = command("--help");
  expect(status).toBe(0);
  expect(stdout).toMatch(/^usage: pulumi-resource-causeflow \[flags\] <engine address>/);
  expect(stdout).toContain(`version ${version}`);
  expect(stdout).toMatch(/--version[\s\S]*--help/);
});

it("refuses to start without the engine's address, printing the usage to stderr", () => {
  const { status, stdout, stderr } = command("--logtostderr");
  expect([status, stdout]).toEqual([1, ""]);
  expect(stderr).toMatch(/^usage: pulumi-resource-causeflow/);
});

it("fails a call in flight with an internal error when an error escapes every handler", async () => {
  const emulator = await startEmulator({ faults: [{ latencyMs: 5_000 }] });
  const plugin = await ProviderHost.startPlugin({ cwd: REPO_ROOT, env: { NODE_OPTIONS: `--require ${path.join(FIXTURES, "throw-on-sigusr2.js")}` } });
  try {
    await plugin.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
    const inputs = { name: "Acme", slug: "acme", ownerEmail: "owner@acme.com", plan: "pro" };
    const create = plugin.create(`urn:pulumi:dev::causeflow::${PLUGIN_TENANT_TYPE}::acme`, inputs).then(
      () => "answered",
      (error: Error) => error.message,
    );
    // The create waits on the emulator's latency; the signal comes while it does.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    process.kill(plugin.pid!, "SIGUSR2");
    expect(await create).toMatch(/^The causeflow provider failed with an internal error \(thrown outside any call, on the test's signal\); this is a bug/);
    expect(plugin.debugOutput.join("\n")).toContain("pulumi-resource-causeflow: internal error: Error: thrown outside any call");
  } finally {
    await plugin.stop();
    await emulator.close();
  }
});
