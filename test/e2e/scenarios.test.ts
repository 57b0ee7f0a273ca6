/**
 * `npm run scenarios` (tools/scenarios.ts) at a small size, so that the full-size run keeps working:
 * it runs the chosen scenario tests with their fleets at the size asked (here more than the engine
 * runs at once, which Ctrl-C's test needs), and prints the audit of each scenario and host, and
 * what the user read.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../support/repo";
import { describeWithCli } from "../support/cli/workspace";

describeWithCli()("npm run scenarios", () => {
  it("runs the chosen scenarios at the fleet size asked, and prints their audits and messages", async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "dist", "tools", "scenarios.js"), "--fleet", "20", "--only", "cancelled"], {
      cwd: REPO_ROOT,
      timeout: 280_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stderr).toContain("scenarios: cancelled, fleets of 20 tenants");
    expect(stderr).toMatch(/scenarios \[\d+ s\]: passed in \d+ s: Ctrl-C once during `pulumi up` of a fleet of dynamic tenants/);
    const rows = stdout.split("\n").filter((line) => /^\| 1 Ctrl-C/.test(line));
    expect(rows).toEqual([
      "| 1 Ctrl-C | plugin | 20 | 0 | 0 | 0 | 0 | 0 |",
      "| 1 Ctrl-C in an outage | plugin | 20 | 0 | 0 | 0 | 0 | 0 |",
      "| 1 Ctrl-C in an outage losing answers | plugin | 20 | 0 | 0 | 0 | 0 | 0 |",
      "| 1 Ctrl-C | dynamic | 20 | 0 | 0 | 0 | 0 | 0 |",
    ]);
    expect(stdout).toContain("4 tests passed, 0 failed");
    expect(stdout).toContain("error: update canceled");
  }, 300_000);
});
