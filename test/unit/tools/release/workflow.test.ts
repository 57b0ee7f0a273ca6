/**
 * The release workflow (.github/workflows/release.yml), which runs only on GitHub: its build steps
 * are the commands the tests run here, for the platforms Pulumi publishes plugins for, under the
 * names the CLI downloads.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { pulumiPlatform, tarballName } from "../../../../tools/release/pluginBinary";
import { REPO_ROOT } from "../../../support/repo";

interface Step {
  run?: string;
  uses?: string;
  "working-directory"?: string;
}
interface Job {
  needs?: string | string[];
  strategy?: { matrix: { include: { runner: string; platform: string }[] } };
  steps: Step[];
}

const workflow = parse(readFileSync(path.join(REPO_ROOT, ".github", "workflows", "release.yml"), "utf8")) as { on: unknown; jobs: Record<string, Job> };
const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string; scripts: Record<string, string> };
const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? "").filter(Boolean));

it("runs only on a version tag", () => {
  expect(workflow.on).toEqual({ push: { tags: ["v*.*.*"] } });
});

it("calls only npm scripts that exist", () => {
  const called = runs.flatMap((run) => [...run.matchAll(/npm run ([\w:-]+)/g)].map(([, script]) => script));
  expect(called).toEqual(expect.arrayContaining(["build:plugin", "build"]));
  for (const script of called) expect(packageJson.scripts).toHaveProperty([script]);
});

it("builds the plugin for the six platforms Pulumi publishes plugins for, each on its own runner, under the archive name the CLI asks for", () => {
  const { matrix } = workflow.jobs.plugin.strategy!;
  const platforms = matrix.include.map((entry) => entry.platform);
  const expected = ["linux", "darwin", "win32"].flatMap((os) => ["x64", "arm64"].map((arch) => pulumiPlatform(os as NodeJS.Platform, arch)));
  expect(platforms.sort()).toEqual(expected.sort());
  const upload = workflow.jobs.plugin.steps.find((step) => step.uses?.startsWith("actions/upload-artifact")) as unknown as { with: { path: string } };
  const uploaded = upload.with.path.replace("${{ needs.check.outputs.version }}", packageJson.version).replace("${{ matrix.platform }}", "linux-amd64");
  expect(uploaded).toBe(`dist/release/${tarballName(packageJson.version, "linux-amd64")}`);
});

it("tests everything before it publishes anything: every job waits for the check that runs CI", () => {
  expect(workflow.jobs.check.steps.map((step) => step.run)).toContain("bash .ci/run");
  const waitsForCheck = (name: string): boolean => {
    const needs = workflow.jobs[name].needs;
    const list = needs === undefined ? [] : ([] as string[]).concat(needs);
    return list.includes("check") || list.some(waitsForCheck);
  };
  for (const name of Object.keys(workflow.jobs).filter((name) => name !== "check")) expect({ name, waits: waitsForCheck(name) }).toEqual({ name, waits: true });
});

it("publishes each SDK from its committed folder", () => {
  const folders = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step["working-directory"]).filter(Boolean));
  expect(new Set(folders)).toEqual(new Set(["sdk/nodejs", "sdk/dotnet", "sdk/java"]));
  expect(runs.some((run) => run.includes("pip wheel --no-deps --wheel-dir dist sdk/python"))).toBe(true);
  expect(runs.some((run) => /git tag "sdk\/go\/v/.test(run))).toBe(true);
});
