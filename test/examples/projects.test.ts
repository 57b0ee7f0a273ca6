/**
 * The Pulumi projects a new user runs: the repository root and each example folder. Pulumi runs
 * `main` only from inside the project folder, and TypeScript is compiled by `npm run build`.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../engine/fixture";
import { exampleConfig, projectName } from "./run";

interface Project {
  name: string;
  runtime: { name: string; options: { typescript: boolean } };
  main: string;
  config: Record<string, { value: unknown }>;
}

const projects = [".", "examples/aws-iam-role", "examples/fleet"].map((folder) => {
  const dir = path.join(REPO_ROOT, folder);
  return { folder, dir, project: parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Project };
});

/** The compiled file Pulumi ends up loading: `main` itself, or what the shim `main.js` requires. */
function compiledProgram(dir: string, main: string): string {
  const file = path.join(dir, main);
  if (file.includes(`${path.sep}dist${path.sep}`)) return file;
  const required = /require\("([^"]+)"\)/.exec(readFileSync(file, "utf8"))![1];
  return path.resolve(dir, required);
}

describe.each(projects)("the Pulumi project in $folder", ({ folder, dir, project }) => {
  it("runs its main file from inside the project folder, with Pulumi's TypeScript support off", () => {
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: false } });
    expect(path.relative(dir, path.join(dir, project.main))).not.toMatch(/^\.\./);
  });

  it("loads the program that `npm run build` compiles from this project's TypeScript", () => {
    const compiled = path.relative(path.join(REPO_ROOT, "dist"), compiledProgram(dir, project.main));
    const source = path.join(REPO_ROOT, compiled.replace(/\.js$/, ".ts"));
    expect(readFileSync(source, "utf8")).toMatch(/causeflow\.Tenant/);
    if (folder !== ".") expect(path.dirname(source)).toBe(dir);
  });

  it("points at the local emulator's default address unless the stack says otherwise", () => {
    expect(project.config["causeflow:apiUrl"]).toEqual({ value: "http://127.0.0.1:8080" });
  });
});

describe.each(["aws-iam-role", "fleet"])("the example stack config of %s", (example) => {
  it("only sets keys of this project or of the providers it uses", () => {
    for (const key of Object.keys(exampleConfig(example))) {
      expect(key).toMatch(new RegExp(`^(${projectName(example)}|aws|causeflow):`));
    }
  });
});
