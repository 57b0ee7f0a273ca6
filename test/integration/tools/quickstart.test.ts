/** The main job, run as a newcomer runs it: the built quickstart in a process of its own. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { commandOf, descendantsOf, itOnLinux, killAll, startUntil, survivorsAfter } from "../../support/processes";
import { REPO_ROOT } from "../../support/repo";

it("creates, updates, refreshes, replaces and removes a tenant with each host, imports one, and says so readably", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "dist/tools/quickstart.js")], { cwd: REPO_ROOT });
  const lines = stdout.split("\n").map((line) => line.trim());
  expect(lines).toEqual(
    expect.arrayContaining([
      "up:       + causeflow:Tenant acme create",
      "up:       ~ causeflow:Tenant acme update [diff: ~name, ~settings.autoRemediation, ~settings.awsRegion]",
      "refresh:  ~ causeflow:Tenant acme refresh [diff: ~name]",
      "up:       ~ causeflow:Tenant acme update [diff: ~name]",
      "up:       +- causeflow:Tenant acme replace [diff: ~slug] (replaces because slug changed)",
      "up:       - causeflow:Tenant acme delete",
      "up:       + causeflow:index:Tenant globex create",
      'settings={"awsExternalId":"[secret]","awsRegion":"eu-west-1"}',
      "preview:  ~ causeflow:index:Tenant globex update [diff: ~settings.awsRegion]",
      "import:   = causeflow:index:Tenant acme import",
      "preview:  causeflow:index:Tenant acme same",
    ]),
  );
  expect(stdout.match(/^\s*warning: CauseFlow tenant .* still exists in CauseFlow/gm)).toHaveLength(2);
  // The preview's own warnings, under the preview line, as a reviewer would see them.
  expect(stdout).toMatch(/preview: +~ causeflow:Tenant acme update .*\n\s+warning: autoRemediation turns on for CauseFlow tenant "acme-corp"/);
  expect(stdout).toMatch(/preview: +\+- causeflow:Tenant acme replace .*\n\s+warning: changing the slug of CauseFlow tenant "acme-corp" \(ten_\w+\) to "acme-corporation" replaces it/);
  expect(stdout).toMatch(/result: +tenantId=ten_\w+ plan=starter status=active/);
  expect(stdout).not.toContain("globex-external-id");
  expect(stdout).toMatch(/Tenants in the dynamic stack: 0; in the plugin's: 2; in CauseFlow \(emulator\): acme-corp, acme-corporation, globex\./);
});

/** Killing `npm start`, however, leaves nothing of it running: not the job, not its provider host or plugin. */
describe.each(["SIGTERM", "SIGKILL", "Ctrl-C"] as const)("npm start, sent %s", (signal) => {
  itOnLinux("leaves no provider host running, and stops the job where it was", async () => {
    // Ctrl-C in a terminal sends SIGINT to the job's whole process group; the others go to npm alone.
    const { child: npm, output } = await startUntil("npm", ["start"], /^Emulated CauseFlow API on/, { cwd: REPO_ROOT, timeoutMs: 120_000, detached: signal === "Ctrl-C" });
    const tree = descendantsOf(npm.pid!);
    try {
      expect(tree.map(commandOf)).toEqual(expect.arrayContaining([expect.stringContaining("dynamic-provider"), expect.stringContaining("pulumi-resource-causeflow/main.js")]));
      if (signal === "Ctrl-C") process.kill(-npm.pid!, "SIGINT");
      else npm.kill(signal);
      expect(await survivorsAfter(tree, 10_000)).toEqual([]);
      // Killed, the job stopped where it was instead of running on to its end.
      expect(output.filter((line) => line.startsWith("Done."))).toEqual([]);
    } finally {
      killAll([npm.pid!, ...tree]);
    }
  }, 180_000);
});
