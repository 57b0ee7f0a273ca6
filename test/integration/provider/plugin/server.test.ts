/**
 * The plugin with hostile requests, over gRPC as the engine sends them: whatever arrives (secrets
 * and unknowns anywhere, wrong types, odd keys), it answers with named failures or an error, never
 * a crash, and sends no request in a check, a diff or a preview.
 */
import fc from "fast-check";
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";
import { ProviderHost } from "../../../../tools/engine-model/host";
import { GET_TENANT, PLUGIN_TENANT_TYPE, UNKNOWN_VALUE } from "../../../../provider/core/tenantRules";
import { secret } from "../../../../provider/plugin/wire";
import { REPO_ROOT } from "../../../support/repo";
import { hostileInputs, hostileValue } from "../../../support/arbitraries";

const URN = `urn:pulumi:dev::causeflow::${PLUGIN_TENANT_TYPE}::hostile`;

/** Anything, sometimes wrapped as a secret, as the engine wraps values for a plugin that accepts them. */
const maybeSecret = <T>(value: T) => fc.oneof(fc.constant(value), fc.constant(secret(value)));
const hostileProps = hostileInputs.chain((props) =>
  fc.tuple(...Object.keys(props).map(() => fc.boolean())).map((wrap) =>
    Object.fromEntries(Object.entries(props).map(([key, value], index) => [key, wrap[index] ? secret(value) : value])),
  ),
);

let emulator: RunningEmulator;
let plugin: ProviderHost;
beforeAll(async () => {
  emulator = await startEmulator();
  plugin = await ProviderHost.startPlugin({ cwd: REPO_ROOT });
  await plugin.configure({ apiUrl: emulator.url, apiToken: secret(emulator.adminToken) }, { name: "default" });
});
afterAll(async () => {
  await plugin.stop();
  await emulator.close();
});

/** A call that may fail, as long as it fails with a message, through gRPC; a crash of the plugin would not answer at all. */
const answered = (call: Promise<unknown>) =>
  call.then(
    () => "answered",
    (error: Error) => {
      expect(error.message.length).toBeGreaterThan(0);
      return "failed";
    },
  );

it("answers check, diff and previews of hostile properties, naming properties, with no request", async () => {
  await fc.assert(
    fc.asyncProperty(hostileProps, hostileProps, async (olds, news) => {
      const checked = await plugin.check(URN, olds, news);
      for (const failure of checked.failures) expect(failure.reason.length).toBeGreaterThan(0);
      await answered(plugin.diff(URN, "ten_hostile", olds, news));
      await answered(plugin.create(URN, news, true));
      await answered(plugin.update(URN, "ten_hostile", olds, news, true));
    }),
    { numRuns: 200 },
  );
  expect(emulator.journal).toEqual([]);
  expect(await plugin.getPluginInfo()).toMatch(/^\d+\.\d+\.\d+/);
}, 120_000);

it("answers hostile configuration and function arguments, and goes on serving", async () => {
  await fc.assert(
    fc.asyncProperty(fc.dictionary(fc.oneof(fc.constantFrom("apiUrl", "apiToken", "maxAttempts", "allowInsecureHttp"), fc.string()), hostileValue), async (config) => {
      const { failures } = await plugin.checkConfig(config);
      for (const failure of failures) expect(failure.reason.length).toBeGreaterThan(0);
    }),
    { numRuns: 200 },
  );
  await fc.assert(
    fc.asyncProperty(fc.dictionary(fc.constantFrom("tenantId", "slug", "other"), hostileValue.chain(maybeSecret)), async (args) => {
      await answered(plugin.invoke(GET_TENANT, args));
    }),
    { numRuns: 100 },
  );
  expect(await plugin.invoke(GET_TENANT, { tenantId: UNKNOWN_VALUE }).catch((e: Error) => e.message)).toMatch(/Could not read CauseFlow tenant/);
  expect(await plugin.getPluginInfo()).toMatch(/^\d+\.\d+\.\d+/);
}, 120_000);
