/**
 * Where the Pulumi CLI for the journeys is, or why there is none: the pinned build of
 * tools/pulumi (`npm test` builds it where Go is installed), or, with `CAUSEFLOW_TEST_PULUMI=path`,
 * the `pulumi` on PATH. Kept apart from workspace.ts so that jest's global setup loads nothing heavier.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

import { REPO_ROOT } from "../repo";
/** The harnesses the journeys run programs through: a Python runner, a Go program template. */
export const CLI_SUPPORT = __dirname;
const BUILD_SCRIPT = path.join(REPO_ROOT, "tools", "pulumi", "build.sh");

export interface PinnedCli {
  /** The folder of `pulumi`, the YAML language host and the dynamic provider's launcher. */
  bin: string;
  pulumi: string;
  /** Runs a command, ending everything below it when the caller dies (tools/pulumi/lifeline). Absent with a CLI from PATH. */
  lifeline?: string;
}

function locateCli(): { cli?: PinnedCli; missing?: string } {
  if (process.env.CAUSEFLOW_TEST_PULUMI === "path") {
    const which = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
    if (which.status !== 0) return { missing: "CAUSEFLOW_TEST_PULUMI=path, but no `pulumi` on PATH" };
    const pulumi = which.stdout.trim();
    return { cli: { bin: path.dirname(pulumi), pulumi } };
  }
  const where = spawnSync("bash", [BUILD_SCRIPT, "--where"], { encoding: "utf8" });
  const bin = where.stdout.trim();
  if (where.status === 0) return { cli: { bin, pulumi: path.join(bin, "pulumi"), lifeline: path.join(bin, "lifeline") } };
  const hasGo = spawnSync("sh", ["-c", "command -v go"]).status === 0;
  return { missing: hasGo ? "the pinned Pulumi CLI is not built (bash tools/pulumi/build.sh)" : "no Go on this machine to build the pinned Pulumi CLI" };
}

export const { cli, missing: cliMissing } = locateCli();

/** `describe` with the CLI; without it `describe.skip` (jest's global setup has said why), or, in CI, a failure. */
export function describeWithCli(): jest.Describe {
  if (cli) return describe;
  if (process.env.CI === "true") throw new Error(`CI runs the CLI journeys, but ${cliMissing}`);
  return describe.skip;
}
