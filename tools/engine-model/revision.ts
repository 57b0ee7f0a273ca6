/**
 * An earlier revision of this package, built from git and installed in a program directory's
 * node_modules, as a user's install of that version would be: for rollback tests, and for the
 * benchmark's before-and-after figures in one run.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT } from "../packageRoot";

/** True when this clone's history holds the revision. */
export function hasRevision(revision: string): boolean {
  try {
    execFileSync("git", ["cat-file", "-e", `${revision}^{commit}`], { cwd: PACKAGE_ROOT, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the revision's package (provider/ and sdk/) under `scratch/package`, with this
 * repository's node_modules, and installs it as `scratch/program/node_modules/@causeflow/pulumi`.
 * Returns the program directory and the package directory (for tests that mark its code).
 */
export function installRevision(revision: string, scratch: string): { program: string; source: string } {
  const source = path.join(scratch, "package");
  mkdirSync(source, { recursive: true });
  const archive = execFileSync("git", ["archive", revision, "package.json", "tsconfig.json", "tsconfig.build.json", "provider", "sdk"], { cwd: PACKAGE_ROOT });
  execFileSync("tar", ["-x", "-C", source], { input: archive });
  symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(source, "node_modules"));
  execFileSync(process.execPath, [path.join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(source, "tsconfig.build.json")], { cwd: source });
  const program = path.join(scratch, "program");
  mkdirSync(path.join(program, "node_modules", "@causeflow"), { recursive: true });
  symlinkSync(source, path.join(program, "node_modules", "@causeflow", "pulumi"));
  return { program, source };
}
