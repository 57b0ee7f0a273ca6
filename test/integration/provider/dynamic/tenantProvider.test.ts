/** The provider object in-process, against the emulator: what the host's calling pattern needs of it. */
import { startEmulator, type RunningEmulator } from "../../../../tools/emulator/server";
import { TenantProvider } from "../../../../provider/dynamic/tenantProvider";

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

const configure = (provider: TenantProvider, config: Record<string, string>) =>
  provider.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });

it("keeps serving a call in flight when the host configures it again for another __provider text", async () => {
  const provider = new TenantProvider();
  const config = { "causeflow:apiUrl": emulator.url, "causeflow:apiToken": emulator.adminToken };
  await configure(provider, config);
  emulator.faults.failNext({ method: "POST", latencyMs: 200 });
  const creating = provider.create({ name: "Acme", slug: "acme", ownerEmail: "o@acme.com", plan: "starter" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await configure(provider, config);
  await expect(creating).resolves.toMatchObject({ outs: { slug: "acme", status: "active" } });
});
