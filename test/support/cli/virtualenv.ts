/**
 * The Python side of the tests: a virtualenv with test/support/cli/python/requirements.txt (Pulumi's
 * Python SDK at the journeys' pin, pytest), made once in a cache folder outside the repository,
 * keyed by that file.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { CLI_SUPPORT } from "./pinnedCli";

export const REQUIREMENTS = path.join(CLI_SUPPORT, "python", "requirements.txt");

/** The virtualenv's python, made on first use. */
export function pythonWithPulumi(): string {
  const key = createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex").slice(0, 16);
  const cacheRoot = process.env.CAUSEFLOW_PULUMI_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "causeflow");
  const venv = path.join(cacheRoot, `python-${key}`);
  const python = path.join(venv, "bin", "python");
  if (existsSync(path.join(venv, "complete"))) return python;
  process.stderr.write(`creating a virtualenv with test/support/cli/python/requirements.txt in ${venv} (once)\n`);
  rmSync(venv, { recursive: true, force: true });
  execFileSync("python3", ["-m", "venv", venv]);
  execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS], { stdio: "inherit" });
  writeFileSync(path.join(venv, "complete"), "");
  return python;
}
