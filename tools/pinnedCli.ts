/**
 * Where the pinned Pulumi CLI is (tools/pulumi/build.sh builds it from Go modules), or why there
 * is none; with `CAUSEFLOW_TEST_PULUMI=path`, the `pulumi` on PATH instead. Light on purpose: jest's
 * global setup loads it to say in one line why the CLI journeys skip.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PACKAGE_ROOT } from "./packageRoot";

export interface PinnedCli {
  /** The folder of `pulumi`, the YAML language host and the dynamic provider's launcher. */
  bin: string;
  pulumi: string;
  /** Runs a command, ending everything below it when the caller dies (tools/pulumi/lifeline). Absent with a CLI from PATH. */
  lifeline?: string;
}

export function locateCli(): { cli?: PinnedCli; missing?: string } {
  if (process.env.CAUSEFLOW_TEST_PULUMI === "path") {
    const which = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
    if (which.status !== 0) return { missing: "CAUSEFLOW_TEST_PULUMI=path, but no `pulumi` on PATH" };
    const pulumi = which.stdout.trim();
    return { cli: { bin: path.dirname(pulumi), pulumi } };
  }
  const where = spawnSync("bash", [path.join(PACKAGE_ROOT, "tools", "pulumi", "build.sh"), "--where"], { encoding: "utf8" });
  const bin = where.stdout.trim();
  if (where.status === 0) return { cli: { bin, pulumi: path.join(bin, "pulumi"), lifeline: path.join(bin, "lifeline") } };
  const hasGo = spawnSync("sh", ["-c", "command -v go"]).status === 0;
  return { missing: hasGo ? "the pinned Pulumi CLI is not built (bash tools/pulumi/build.sh)" : "no Go on this machine to build the pinned Pulumi CLI" };
}
