/** The main job, run as a newcomer runs it: the built quickstart in a process of its own. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./fixture";

it("creates, updates, refreshes, replaces and removes a tenant, and says so readably", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "dist/engine/quickstart.js")], { cwd: REPO_ROOT });
  const lines = stdout.split("\n").map((line) => line.trim());
  expect(lines).toEqual(
    expect.arrayContaining([
      "up:       + causeflow:Tenant acme create",
      "up:       ~ causeflow:Tenant acme update [diff: ~name, ~settings.autoRemediation, ~settings.awsRegion]",
      "refresh:  ~ causeflow:Tenant acme refresh [diff: ~name]",
      "up:       ~ causeflow:Tenant acme update [diff: ~name]",
      "up:       +- causeflow:Tenant acme replace [diff: ~slug] (replaces because slug changed)",
      "up:       - causeflow:Tenant acme delete",
    ]),
  );
  expect(stdout.match(/^\s*warning: CauseFlow tenant .* still exists in CauseFlow/gm)).toHaveLength(2);
  // The preview's own warnings, under the preview line, as a reviewer would see them.
  expect(stdout).toMatch(/preview: +~ causeflow:Tenant acme update .*\n\s+warning: autoRemediation turns on for CauseFlow tenant "acme-corp"/);
  expect(stdout).toMatch(/preview: +\+- causeflow:Tenant acme replace .*\n\s+warning: changing the slug of CauseFlow tenant "acme-corp" \(ten_\w+\) to "acme-corporation" replaces it/);
  expect(stdout).toMatch(/Tenants in the stack: 0; tenants in CauseFlow \(emulator\): acme-corp, acme-corporation\./);
});
