/**
 * pulumi.test.ts on a machine without the Pulumi CLI, as jest shows it: skipped, with one line
 * saying why, and a passing run.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../engine/fixture";

it("skips the CLI test without a pulumi binary, saying so in one line", async () => {
  const emptyPath = mkdtempSync(path.join(tmpdir(), "cf-no-pulumi-"));
  try {
    const jest = path.join(REPO_ROOT, "node_modules", "jest", "bin", "jest.js");
    const { stderr } = await promisify(execFile)(process.execPath, [jest, "--ci", "--no-watchman", "test/cli/pulumi.test.ts"], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: emptyPath },
    });
    expect(stderr.match(/^test\/cli\/pulumi\.test\.ts: skipped, no `pulumi` on PATH\b/gm)).toHaveLength(1);
    expect(stderr).toMatch(/Tests: +1 skipped, 1 total/);
  } finally {
    rmSync(emptyPath, { recursive: true, force: true });
  }
});
