/**
 * An example copied out of the repository, as a user would: the package packed with `npm pack`,
 * the getting-started folder copied beside it and installed with the tarball, built with its own
 * `npm run build`, and the program its Pulumi.yaml names run under mocks with the folder's own
 * @pulumi/pulumi. getting-started needs no @pulumi/aws (very large), which this also proves.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { runProgram } from "../../../tools/engine-model/program";
import { REPO_ROOT } from "../../support/repo";
import { projectName } from "../../support/examples";

const EXAMPLE = "getting-started";
const scratch = mkdtempSync(path.join(tmpdir(), "cf-copied-"));
const copy = path.join(scratch, EXAMPLE);
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
// npm as the user runs it, not as the npm that may be running jest: none of its npm_* settings.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || /^npm_config_cache$/i.test(key)));
const children = new Set<ChildProcess>();

/** Runs a command to completion in its own process group, so that afterAll can end it whole. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (errors += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      children.delete(child);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) exited with ${code}:\n${errors}${output}`));
    });
  });
}

/**
 * A lockfile that pins the example's dependencies to the versions of the repository's own lock,
 * and @causeflow/pulumi to the tarball. Offline, npm 11 installs only what a lockfile pins: it
 * resolves anything else from full packuments, which the repository's `npm ci` never caches.
 * npm drops the entries the example does not need.
 */
function lockfileFor(example: { name: string; dependencies: object; devDependencies: object }, tarball: string): object {
  const { name, version, bin, dependencies, peerDependencies, peerDependenciesMeta } = readJson(path.join(REPO_ROOT, "package.json"));
  const { packages } = readJson(path.join(REPO_ROOT, "package-lock.json"));
  return {
    name: example.name,
    lockfileVersion: 3,
    requires: true,
    packages: {
      ...packages,
      "": { name: example.name, dependencies: example.dependencies, devDependencies: example.devDependencies },
      // What npm itself records for a package; it links bins from the lockfile's entry.
      [`node_modules/${name}`]: { version, resolved: tarball, bin, dependencies, peerDependencies, peerDependenciesMeta },
    },
  };
}

/** Runs the program under mocks and prints what it registers, and where the provider the shim loads is installed. */
const RUNNER = `
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const [main, project, stack] = process.argv.slice(2);
const registrations = [];
(async () => {
  await pulumi.runtime.setMocks({
    newResource: ({ type, name, inputs }) => (registrations.push({ type, name, inputs }), { id: name + "-id", state: inputs }),
    call: ({ inputs }) => inputs,
  }, project, stack, false);
  require(path.resolve(main));
  await pulumi.runtime.disconnect();
  const provider = require.resolve("@causeflow/pulumi/rules");
  const failures = registrations.map(({ inputs }) => require(provider).checkTenant({}, inputs).failures);
  process.stdout.write(JSON.stringify({ registrations, provider, failures }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Result {
  registrations: { type: string; name: string; inputs: Record<string, unknown> }[];
  provider: string;
  failures: unknown[][];
}

describe(`examples/typescript/${EXAMPLE} copied out of the repository`, () => {
  let result: Result;

  beforeAll(async () => {
    const [{ filename }] = JSON.parse(await run("npm", ["pack", "--json", "--pack-destination", scratch], REPO_ROOT));
    cpSync(path.join(REPO_ROOT, "examples", "typescript", EXAMPLE), copy, { recursive: true, filter: (file) => !/[\\/](bin|node_modules)$/.test(file) });
    // The version this checkout would publish, instead of the registry's.
    const tarball = `file:../${filename}`;
    const example = readJson(path.join(copy, "package.json"));
    example.dependencies["@causeflow/pulumi"] = tarball;
    writeFileSync(path.join(copy, "package.json"), JSON.stringify(example, null, 2));
    writeFileSync(path.join(copy, "package-lock.json"), JSON.stringify(lockfileFor(example, tarball), null, 2));
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund"], copy);
    await run("npm", ["run", "build"], copy);
    writeFileSync(path.join(copy, "run-under-mocks.js"), RUNNER);
    const { main } = parse(readFileSync(path.join(copy, "Pulumi.yaml"), "utf8")) as { main: string };
    result = JSON.parse(await run(process.execPath, ["run-under-mocks.js", main, projectName(EXAMPLE), "dev"], copy));
  }, 300_000);

  afterAll(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it("installs without @pulumi/aws or @pulumi/random, which only @causeflow/pulumi/aws needs", () => {
    expect(existsSync(path.join(copy, "node_modules", "@causeflow", "pulumi"))).toBe(true);
    expect(existsSync(path.join(copy, "node_modules", "@pulumi", "aws"))).toBe(false);
    expect(existsSync(path.join(copy, "node_modules", "@pulumi", "random"))).toBe(false);
  });

  it("registers what the program registers inside the repository, the same __provider included", async () => {
    const inRepository = await runProgram(
      () => {
        require(`../../../examples/typescript/${EXAMPLE}/index`);
      },
      { project: projectName(EXAMPLE), stack: "dev" },
    );
    expect(inRepository).toHaveLength(1);
    expect(result.registrations).toEqual(inRepository.map(({ type, name, inputs }) => ({ type, name, inputs })));
  });

  it("loads the provider that __provider requires from the copied folder, and it accepts the tenant", () => {
    expect(path.relative(copy, result.provider)).toMatch(/^node_modules[\\/]@causeflow[\\/]pulumi[\\/]/);
    expect(result.failures).toEqual([[]]);
  });
});
