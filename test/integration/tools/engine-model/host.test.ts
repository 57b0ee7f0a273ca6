import { ProviderHost } from "../../../../tools/engine-model/host";
import { REPO_ROOT } from "../../../support/repo";

it("stops a host that was killed by a signal, and a second stop returns at once", async () => {
  const host = await ProviderHost.start({ cwd: REPO_ROOT });
  process.kill(host.pid!, "SIGKILL");
  await host.stop();
  await host.stop();
});
