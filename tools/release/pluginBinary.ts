/**
 * `npm run build:plugin`: `pulumi-resource-causeflow` as one executable that needs no Node.js
 * installation and no `npm install`, and the tarball the Pulumi CLI installs it from.
 *
 * 1. esbuild bundles the plugin's command, every dependency included, into one script;
 * 2. Node's single executable applications (SEA) put that script, with V8's code cache, into a
 *    copy of this Node.js binary (`node --experimental-sea-config`, then postject);
 * 3. `pulumi-resource-causeflow-v<version>-<os>-<arch>.tar.gz` holds it, with LICENSE and README.md,
 *    as the engine expects a resource plugin's archive.
 * It builds for the platform it runs on: a release builds each platform on a runner of its own.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { VERSION } from "../../provider/packageInfo";
import { PACKAGE_ROOT } from "../packageRoot";

export const PLUGIN_NAME = "pulumi-resource-causeflow";
/** The fuse postject flips in a Node.js binary, so that it runs the blob it carries (Node's docs). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/** Pulumi's names for platforms, as in its plugin archives: linux, darwin, windows; amd64, arm64. */
export function pulumiPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = arch === "x64" ? "amd64" : arch;
  return `${os}-${cpu}`;
}

export function tarballName(version: string = VERSION, platform: string = pulumiPlatform()): string {
  return `${PLUGIN_NAME}-v${version}-${platform}.tar.gz`;
}

export interface BuiltPlugin {
  /** The executable. */
  binary: string;
  /** The archive for `pulumi plugin install resource causeflow <version> --file`, or a download URL. */
  tarball: string;
}

/** Builds the executable and its archive under `outDir`, printing a line per step. */
export function buildPluginBinary(outDir: string = path.join(PACKAGE_ROOT, "dist", "release"), log: (line: string) => void = console.log): BuiltPlugin {
  const work = path.join(outDir, "work");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const exe = process.platform === "win32" ? `${PLUGIN_NAME}.exe` : PLUGIN_NAME;

  log("build:plugin: bundling the plugin into one script (esbuild)");
  const bundle = path.join(work, `${PLUGIN_NAME}.js`);
  buildSync({
    entryPoints: [path.join(PACKAGE_ROOT, "dist", "provider", "cmd", PLUGIN_NAME, "main.js")],
    bundle: true,
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    outfile: bundle,
    logLevel: "warning",
  });

  log("build:plugin: making the single executable (node --experimental-sea-config, postject)");
  const blob = path.join(work, "sea.blob");
  const seaConfig = path.join(work, "sea-config.json");
  writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  execFileSync(process.execPath, ["--experimental-sea-config", seaConfig], { stdio: "ignore" });
  const binary = path.join(work, exe);
  copyFileSync(process.execPath, binary);
  chmodSync(binary, 0o755);
  // The steps Node's documentation gives per system: macOS binaries are signed, and must be
  // unsigned before the blob goes in, then signed again (ad hoc) to run; Mach-O needs a segment name.
  if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", binary]);
  const postject = path.join(path.dirname(require.resolve("postject/package.json")), "dist", "cli.js");
  const macho = process.platform === "darwin" ? ["--macho-segment-name", "NODE_SEA"] : [];
  execFileSync(process.execPath, [postject, binary, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE, ...macho], { stdio: "ignore" });
  if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", binary]);

  log(`build:plugin: packing ${tarballName()}`);
  const archive = path.join(work, "archive");
  mkdirSync(archive);
  copyFileSync(binary, path.join(archive, exe));
  const beside = ["LICENSE", "README.md"];
  for (const file of beside) copyFileSync(path.join(PACKAGE_ROOT, file), path.join(archive, file));
  const tarball = path.join(outDir, tarballName());
  execFileSync("tar", ["-czf", tarball, "-C", archive, exe, ...beside]);
  rmSync(archive, { recursive: true });
  log(`build:plugin: ${path.relative(process.cwd(), tarball)}`);
  return { binary, tarball };
}

if (require.main === module) buildPluginBinary();
