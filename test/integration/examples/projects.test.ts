/**
 * The Pulumi projects a new user runs: each example folder, a package of its own that builds
 * its TypeScript with `npm run build`, and the repository root, which runs getting-started's
 * program. Pulumi runs `main` only from inside the project folder.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { parse } from "yaml";
import { REPO_ROOT } from "../../support/repo";
import { allowScriptsFor, exampleConfig, packagesImportedBy, projectName } from "../../support/examples";

interface Project {
  name: string;
  runtime: { name: string; options: { typescript: boolean } };
  main: string;
  config: Record<string, { value: unknown }>;
}
interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const root = readJson<PackageJson>(path.join(REPO_ROOT, "package.json"));
const examples = ["getting-started", "aws-iam-role", "fleet"];

const projects = [
  { folder: ".", program: "examples/typescript/getting-started" },
  ...examples.map((example) => ({ folder: `examples/typescript/${example}`, program: `examples/typescript/${example}` })),
].map(({ folder, program }) => {
  const dir = path.join(REPO_ROOT, folder);
  const project = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Project;
  return { folder, program, dir, project, main: path.join(dir, project.main) };
});

/** The folder of the package.json nearest to `file`: the package whose build compiles it. */
function packageFolder(file: string): string {
  let dir = path.dirname(file);
  while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
}

/** The TypeScript file that its package's `npm run build` (tsc) compiles into `compiled`. */
function sourceOf(compiled: string): string | undefined {
  const folder = packageFolder(compiled);
  const build = readJson<PackageJson>(path.join(folder, "package.json")).scripts?.build ?? "";
  expect(build).toMatch(/^tsc\b/);
  const tsconfig = path.join(folder, /-p\s+(\S+)/.exec(build)?.[1] ?? "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  return parsed.fileNames.find((file) => ts.getOutputFileNames(parsed, file, false).includes(compiled));
}

/** A TypeScript file's text, and that of the files of its own folder it imports (`./program`), which it may declare its resources in. */
function withLocalImports(file: string): string {
  const text = readFileSync(file, "utf8");
  const imported = [...text.matchAll(/from "(\.\/[^"]+)"/g)].map(([, specifier]) => readFileSync(path.join(path.dirname(file), `${specifier}.ts`), "utf8"));
  return [text, ...imported].join("\n");
}

describe.each(projects)("the Pulumi project in $folder", ({ program, dir, project, main }) => {
  it("runs its main file from inside the project folder, with Pulumi's TypeScript support off", () => {
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: false } });
    expect(path.relative(dir, main)).not.toMatch(/^\.\./);
  });

  it(`runs the program that ${program}'s own \`npm run build\` compiles from its TypeScript`, () => {
    expect(packageFolder(main)).toBe(path.join(REPO_ROOT, program));
    const source = sourceOf(main);
    expect(source).toBeDefined();
    expect(withLocalImports(source!)).toMatch(/causeflow\.Tenant/);
  });

  it("keeps what the build compiles out of git", () => {
    expect(() => execFileSync("git", ["check-ignore", "--quiet", main], { cwd: REPO_ROOT })).not.toThrow();
  });

  it("points at the local emulator's default address unless the stack says otherwise", () => {
    expect(project.config["causeflow:apiUrl"]).toEqual({ value: "http://127.0.0.1:8080" });
  });
});

describe.each(examples)("the package of the %s example", (example) => {
  const dir = path.join(REPO_ROOT, "examples", "typescript", example);
  const pkg = readJson<PackageJson>(path.join(dir, "package.json"));
  const sources = readdirSync(dir).filter((file) => file.endsWith(".ts")).map((file) => path.join(dir, file));

  it("is a private package named after the example, built with tsc", () => {
    expect(pkg).toMatchObject({ name: `causeflow-example-${example}`, private: true, scripts: { build: "tsc" } });
  });

  it("depends on what its program imports, and on what @causeflow/pulumi/aws imports if it uses that", () => {
    const imported = packagesImportedBy(sources);
    const usesAws = sources.some((file) => readFileSync(file, "utf8").includes('from "@causeflow/pulumi/aws"'));
    const needed = new Set([...imported, ...(usesAws ? packagesImportedBy([path.join(REPO_ROOT, "sdk", "dynamic", "aws.ts")]) : [])]);
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual([...needed].sort());
  });

  it("asks for the versions this repository is tested with, and compiles with its TypeScript", () => {
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
      expect([name, range]).toEqual([name, name === root.name ? `^${root.version}` : (root.peerDependencies?.[name] ?? root.devDependencies?.[name])]);
    }
    expect(pkg.devDependencies).toEqual({ "@types/node": root.devDependencies?.["@types/node"], typescript: root.devDependencies?.typescript });
    expect(pkg.allowScripts).toEqual(allowScriptsFor(root, pkg));
  });
});

describe.each(["aws-iam-role", "fleet"])("the example stack config of %s", (example) => {
  it("only sets keys of this project or of the providers it uses", () => {
    for (const key of Object.keys(exampleConfig(example))) {
      expect(key).toMatch(new RegExp(`^(${projectName(example)}|aws|causeflow):`));
    }
  });
});
