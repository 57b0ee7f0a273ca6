/**
 * policy/ as a package of its own, which must run where `pulumi policy publish` (npm pack) takes
 * it, or copied out of the repository: what it declares, what it ships, and what it imports.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { parse } from "yaml";
import { EXTERNAL_ID_PATTERN, PLANS, REGION_PATTERN, ROLE_ARN_PATTERN, SLUG_PATTERN } from "@causeflow/pulumi/rules";
import { REPO_ROOT } from "../../support/repo";
import { allowScriptsFor, packagesImportedBy } from "../../support/examples";
import { runProgram } from "../../../tools/engine-model/program";
import { PluginTenant } from "../../../tools/engine-model/pluginTenant";
import { policies } from "../../../policy/policies";
import { Analyzer, ensurePackBuilt, PACK_DIR } from "../../support/analyzer";

interface PackageJson {
  name: string;
  version: string;
  main: string;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const pack = readJson<PackageJson>(path.join(PACK_DIR, "package.json"));
const sources = readdirSync(PACK_DIR).filter((file) => file.endsWith(".ts")).map((file) => path.join(PACK_DIR, file));
const installed = (name: string) => readJson<{ version: string; dependencies?: Record<string, string> }>(require.resolve(`${name}/package.json`));

/** Whether a caret range (`^3.216.0`, `^0.1.0`) admits a version, as npm reads it. */
function caretAllows(range: string, version: string): boolean {
  const [major, minor, patch] = range.replace(/^\^/, "").split(".").map(Number);
  const [vMajor, vMinor, vPatch] = version.replace(/^v/, "").split(".").map(Number);
  if (vMajor !== major || (major === 0 && vMinor !== minor)) return false;
  return vMinor > minor || (vMinor === minor && vPatch >= patch);
}

it("is a nodejs policy pack, which Pulumi starts through its package's main", () => {
  expect(parse(readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8"))).toEqual({ description: expect.any(String), runtime: "nodejs" });
  expect(pack).toMatchObject({ name: "@causeflow/pulumi-policy", version: expect.stringMatching(/^\d+\.\d+\.\d+$/), main: "bin/index.js" });
});

it("runs the JavaScript its own `npm run build` compiles from index.ts, which git ignores", () => {
  expect(pack.scripts.build).toBe("tsc");
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(PACK_DIR, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const compiled = (file: string) => ts.getOutputFileNames(parsed, file, false);
  expect(compiled(path.join(PACK_DIR, "index.ts"))).toContain(path.join(PACK_DIR, pack.main));
  expect(parsed.fileNames.sort()).toEqual(sources.sort());
  expect(() => execFileSync("git", ["check-ignore", "--quiet", path.join(PACK_DIR, pack.main)], { cwd: REPO_ROOT })).not.toThrow();
});

it("declares every package it imports, and the @pulumi/pulumi whose run-policy-pack starts it", () => {
  expect(packagesImportedBy(sources)).toEqual(["@causeflow/pulumi", "@pulumi/policy"]);
  expect(Object.keys(pack.dependencies).sort()).toEqual(["@causeflow/pulumi", "@pulumi/policy", "@pulumi/pulumi"]);
});

it("asks, as the examples do, for the versions this repository is tested with, and compiles with its TypeScript", () => {
  const root = readJson<PackageJson & { peerDependencies: Record<string, string> }>(path.join(REPO_ROOT, "package.json"));
  for (const [name, range] of Object.entries(pack.dependencies)) {
    expect([name, range]).toEqual([name, name === root.name ? `^${root.version}` : (root.peerDependencies[name] ?? root.devDependencies[name])]);
  }
  expect(pack.devDependencies).toEqual({ "@types/node": root.devDependencies["@types/node"], typescript: root.devDependencies.typescript });
  expect(pack.allowScripts).toEqual(allowScriptsFor(root, pack));
});

it("takes from @causeflow/pulumi only the provider's constants, never copying the plan list or a pattern", () => {
  const specifiers = sources.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)].map((match) => match[1]));
  expect([...new Set(specifiers.filter((s) => s.startsWith("@causeflow/")))].sort()).toEqual(["@causeflow/pulumi/rules"]);
  // Nothing outside the folder, which the published pack could not reach.
  expect(specifiers.filter((s) => s.startsWith(".") && !s.startsWith("./"))).toEqual([]);
  const text = sources.map((file) => readFileSync(file, "utf8")).join("\n");
  for (const plan of PLANS) expect(text).not.toContain(`"${plan}"`);
  for (const pattern of [SLUG_PATTERN, ROLE_ARN_PATTERN, EXTERNAL_ID_PATTERN, REGION_PATTERN]) expect(text).not.toContain(pattern.source);
});

it("loads, running, the rules alone: neither the provider's entry nor its HTTP client", () => {
  ensurePackBuilt();
  const script = 'require("./bin/policies"); console.log(JSON.stringify(Object.keys(require.cache)));';
  const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: PACK_DIR, encoding: "utf8" })) as string[];
  expect(loaded).toEqual(expect.arrayContaining([expect.stringMatching(/[\\/]dist[\\/]provider[\\/]core[\\/]index\.js$/)]));
  expect(loaded.filter((file) => /[\\/]dist[\\/]provider[\\/](dynamic[\\/]|client[\\/]client\.js)|[\\/]node_modules[\\/](undici|zod)[\\/]/.test(file))).toEqual([]);
});

it("runs, in this repository, on the one @pulumi/pulumi the repository has, which @pulumi/policy admits", () => {
  const pulumi = installed("@pulumi/pulumi").version;
  expect(caretAllows(installed("@pulumi/policy").dependencies!["@pulumi/pulumi"], pulumi)).toBe(true);
  expect(caretAllows(pack.dependencies["@pulumi/pulumi"], pulumi)).toBe(true);
  expect(existsSync(path.join(path.dirname(require.resolve("@pulumi/policy/package.json")), "node_modules"))).toBe(false);
  expect(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] })).toBe(require.resolve("@pulumi/pulumi/cmd/run-policy-pack"));
});

it("ships, in what `pulumi policy publish` uploads, the compiled pack and no TypeScript", async () => {
  ensurePackBuilt();
  // The CLI runs `npm pack --loglevel=error` in the pack's folder and reads the tarball's name as
  // the whole of stdout (sdk/nodejs/npm/npm.go), so no lifecycle script may print there.
  const destination = mkdtempSync(path.join(tmpdir(), "cf-policy-pack-"));
  try {
    const { stdout } = await promisify(execFile)("npm", ["pack", "--loglevel=error", "--pack-destination", destination], { cwd: PACK_DIR });
    const tarball = path.join(destination, stdout.trim());
    expect(existsSync(tarball)).toBe(true);
    const shipped = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((file) => file.replace(/^package\//, ""));
    expect(shipped).toEqual(expect.arrayContaining(["PulumiPolicy.yaml", "package.json", "README.md", "policy-config.example.json", pack.main]));
    expect(shipped.filter((file) => file.endsWith(".ts"))).toEqual([]);
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
});

it("starts copied out of the repository, resolving nothing but the packages it declares", async () => {
  ensurePackBuilt();
  const copy = mkdtempSync(path.join(tmpdir(), "cf-policy-copy-"));
  let analyzer: Analyzer | undefined;
  try {
    cpSync(PACK_DIR, copy, { recursive: true, filter: (file) => !/[\\/]node_modules$/.test(file) });
    // Installed as npm would put them, here linked to the repository's copies (whose own dependencies resolve beside them).
    for (const name of Object.keys(pack.dependencies)) {
      mkdirSync(path.dirname(path.join(copy, "node_modules", name)), { recursive: true });
      symlinkSync(path.dirname(require.resolve(`${name}/package.json`)), path.join(copy, "node_modules", name), "dir");
    }
    analyzer = await Analyzer.start(undefined, copy);
    expect((await analyzer.info()).policies).toHaveLength(8);
    await analyzer.configure();
    const [tenant] = await runProgram(() => [new PluginTenant("acme", { name: "Acme", slug: "acme", ownerEmail: "owner@acme.com", settings: { awsRegion: "us-east-1" } })]);
    expect((await analyzer.analyze(tenant)).map((d) => d.policyName)).toEqual(["causeflow-aws-settings-complete"]);
  } finally {
    await analyzer?.close();
    rmSync(copy, { recursive: true, force: true });
  }
});

describe("its README", () => {
  const readme = readFileSync(path.join(PACK_DIR, "README.md"), "utf8");

  it("lists every policy, in order, at the level it has", () => {
    const rows = [...readme.matchAll(/^\| `(causeflow-[a-z-]+)` \| .+ \| (advisory|mandatory) \|/gm)].map(([, name, level]) => `${name} ${level}`);
    expect(rows).toEqual(policies.map((policy) => `${policy.name} ${policy.enforcementLevel}`));
  });

  it("shows the example config as the file has it", () => {
    const [, shown] = /```json\n([\s\S]*?)```/.exec(readme)!;
    expect(JSON.parse(shown)).toEqual(readJson(path.join(PACK_DIR, "policy-config.example.json")));
  });
});
