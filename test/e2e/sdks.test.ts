/**
 * The committed SDKs (sdk/<language>): equal to what the pinned generators make of today's schema
 * (`npm run sdks`), and each built and tested with its own toolchain: the Python wheel under pytest
 * with Pulumi's mocks, the Go module under `go test` with mocks, Java compiled by Maven with the
 * overview's Java sample. .NET is generated only (this machine has no .NET): its shape is checked.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PLUGIN_DOWNLOAD_URL, VERSION } from "../../provider/packageInfo";
import { SDK_LANGUAGES, generateSdks } from "../../tools/sdks";
import { REPO_ROOT } from "../support/repo";
import { describeWithCli, docSample } from "../support/cli/workspace";
import { pythonWithPulumi } from "../support/cli/virtualenv";

const run = promisify(execFile);
const SDK = path.join(REPO_ROOT, "sdk");
/** What the SDKs' own tests are told to expect, from package.json and the schema's source. */
const EXPECTED = { SDK_VERSION: VERSION, PLUGIN_DOWNLOAD_URL };

/** Every file under `dir`, as relative paths, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describeWithCli()("the generated SDKs", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "cf-sdks-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("are committed as the pinned generators make them from today's schema (run `npm run sdks` after a schema change)", () => {
    const fresh = generateSdks({ out: path.join(work, "generated"), log: () => undefined });
    for (const language of SDK_LANGUAGES) {
      const committed = path.join(SDK, language);
      const generated = path.join(fresh, language);
      expect({ language, files: files(committed) }).toEqual({ language, files: files(generated) });
      for (const file of files(generated)) {
        expect({ file: `sdk/${language}/${file}`, text: readFileSync(path.join(committed, file), "utf8") }).toEqual({
          file: `sdk/${language}/${file}`,
          text: readFileSync(path.join(generated, file), "utf8"),
        });
      }
    }
  }, 900_000);

  it("Python: builds a wheel that passes its tests under Pulumi's mocks", async () => {
    const python = pythonWithPulumi();
    // Built from a copy: setuptools writes build/ and egg-info beside the sources.
    const source = path.join(work, "python");
    cpSync(path.join(SDK, "python"), source, { recursive: true });
    const wheels = path.join(work, "wheels");
    await run(python, ["-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps", "--wheel-dir", wheels, source]);
    const [wheel] = readdirSync(wheels);
    expect(wheel).toBe(`pulumi_causeflow-${VERSION}-py3-none-any.whl`);
    const site = path.join(work, "site-packages");
    await run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", site, path.join(wheels, wheel)]);
    const { stdout } = await run(python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", path.join(REPO_ROOT, "test", "sdk", "python")], {
      env: { ...process.env, ...EXPECTED, PYTHONPATH: site },
    });
    expect(stdout).toMatch(/\b4 passed\b/);
  }, 300_000);

  it("Go: builds, and passes its tests under Pulumi's mocks", async () => {
    const module = path.join(work, "go-test");
    mkdirSync(module);
    const sdk = path.join(work, "go");
    cpSync(path.join(SDK, "go"), sdk, { recursive: true });
    const sdkModule = /^module (\S+)/m.exec(readFileSync(path.join(sdk, "go.mod"), "utf8"))![1];
    writeFileSync(path.join(module, "go.mod"), `module causeflow.test/sdk\n\ngo 1.26\n\nrequire ${sdkModule} v0.0.0\n\nreplace ${sdkModule} => ${sdk}\n`);
    cpSync(path.join(REPO_ROOT, "test", "sdk", "go", "tenant_test.go"), path.join(module, "tenant_test.go"));
    const env = { ...process.env, ...EXPECTED, GOFLAGS: "-mod=mod" };
    await run("go", ["build", "./..."], { cwd: sdk, env });
    await run("go", ["mod", "tidy"], { cwd: module, env });
    const { stdout } = await run("go", ["test", "-count=1", "-v", "./..."], { cwd: module, env, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout.match(/^--- PASS/gm)).toHaveLength(3);
  }, 600_000);

  it("Java: compiles with Maven, and the overview's Java sample compiles against it", async () => {
    const sdk = path.join(work, "java");
    cpSync(path.join(SDK, "java"), sdk, { recursive: true });
    const maven = (...args: string[]) => run("mvn", ["--batch-mode", "--quiet", ...args], { cwd: sdk, maxBuffer: 16 * 1024 * 1024 });
    await maven("compile", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt");
    const sample = path.join(work, "java-sample", "myproject", "App.java");
    mkdirSync(path.dirname(sample), { recursive: true });
    writeFileSync(sample, docSample("docs/_index.md", "java", "// Java"));
    const classpath = [path.join(sdk, "target", "classes"), readFileSync(path.join(sdk, "classpath.txt"), "utf8").trim()].join(path.delimiter);
    await run("javac", ["-d", path.join(work, "java-sample", "classes"), "-cp", classpath, sample]);
    expect(files(path.join(work, "java-sample", "classes"))).toEqual([path.join("myproject", "App.class")]);
  }, 600_000);

  it(".NET (generated only: no .NET here): one namespace, Pulumi.Causeflow, and the package's version and plugin embedded", () => {
    const sources = files(path.join(SDK, "dotnet")).filter((file) => file.endsWith(".cs"));
    const namespaces = new Set(sources.map((file) => /^namespace (\S+)$/m.exec(readFileSync(path.join(SDK, "dotnet", file), "utf8"))?.[1]));
    expect(namespaces).toEqual(new Set(["Pulumi.Causeflow", "Pulumi.Causeflow.Inputs", "Pulumi.Causeflow.Outputs"]));
    const project = readFileSync(path.join(SDK, "dotnet", "Pulumi.Causeflow.csproj"), "utf8");
    expect(project).toMatch(/<PackageReference Include="Pulumi" Version="[^"]+" \/>/);
    expect(project).toContain("<EmbeddedResource Include=\"version.txt\"");
    expect(project).toContain("<EmbeddedResource Include=\"pulumi-plugin.json\"");
    expect(readFileSync(path.join(SDK, "dotnet", "version.txt"), "utf8").trim()).toBe(VERSION);
    expect(JSON.parse(readFileSync(path.join(SDK, "dotnet", "pulumi-plugin.json"), "utf8"))).toMatchObject({ name: "causeflow", version: VERSION, server: PLUGIN_DOWNLOAD_URL });
  });
});
