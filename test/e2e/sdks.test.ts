/**
 * The committed SDKs (sdk/<language>): equal to what the pinned generators make of today's schema
 * (`npm run sdks`), and each built and tested with its own toolchain: the Python wheel under pytest
 * with Pulumi's mocks, the Go module under `go test` with mocks, Java compiled by Maven. .NET is
 * generated only: this machine has no .NET.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PLUGIN_DOWNLOAD_URL, VERSION } from "../../provider/packageInfo";
import { SDK_LANGUAGES, generateSdks } from "../../tools/sdks";
import { REPO_ROOT } from "../support/repo";
import { describeWithCli } from "../support/cli/workspace";
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

  it("Java: compiles with Maven", async () => {
    const sdk = path.join(work, "java");
    cpSync(path.join(SDK, "java"), sdk, { recursive: true });
    await run("mvn", ["--batch-mode", "--quiet", "compile"], { cwd: sdk, maxBuffer: 16 * 1024 * 1024 });
    expect(files(path.join(sdk, "target", "classes")).filter((file) => file.endsWith("Tenant.class"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/Tenant\.class$/)]),
    );
  }, 600_000);
});
