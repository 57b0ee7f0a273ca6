/**
 * A Go program built around go/main.go.tmpl (Pulumi's Go Automation API, standing in for the go
 * language host), with the plugin's Go SDK from a folder by replace and the Pulumi Go SDK at the
 * CLI's pin: for the Go journey and the plugin's download.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { pulumiGoSdkVersion } from "../../../tools/sdks";
import { REPO_ROOT } from "../repo";
import { CLI_SUPPORT } from "./pinnedCli";

const TOOLS = path.join(REPO_ROOT, "tools", "pulumi");
/** The Go SDK's module (sdk/go), and the package the sample imports from it. */
export const SDK_MODULE = "github.com/causeflow/pulumi-causeflow/sdk/go";
export const SDK_PACKAGE = `${SDK_MODULE}/causeflow`;

/**
 * The body of a whole Go program's `pulumi.Run` function, less its `return nil`, for the harness's
 * program function; the program must import exactly what the harness gives it, the SDK and pulumi.
 */
export function programBody(sample: string): string {
  const imports = [.../^import \(\n([\s\S]*?)\n\)/m.exec(sample)?.[1].matchAll(/"([^"]+)"/g) ?? []].map(([, imported]) => imported);
  if (JSON.stringify(imports) !== JSON.stringify([SDK_PACKAGE, "github.com/pulumi/pulumi/sdk/v3/go/pulumi"])) {
    throw new Error(`the Go sample imports ${JSON.stringify(imports)}, not the SDK and pulumi`);
  }
  const body = /^\tpulumi\.Run\(func\(ctx \*pulumi\.Context\) error \{\n([\s\S]*?)\t\treturn nil\n\t\}\)\n\}\n*$/m.exec(sample);
  if (!body) throw new Error("the Go sample is not a main function calling pulumi.Run, ending in return nil");
  return body[1].replace(/^\t\t/gm, "");
}

/** A harness module in `dir` using the Go SDK in `sdk`; `build` writes main.go around a program body and compiles `dir`/program. */
export class GoHarness {
  readonly executable: string;

  private constructor(readonly dir: string) {
    this.executable = path.join(dir, "program");
  }

  static async create(dir: string, sdk: string): Promise<GoHarness> {
    const sdkVersion = pulumiGoSdkVersion();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "go.mod"),
      `module causeflow.test/journey\n\ngo 1.26\n\nrequire (\n\t${SDK_MODULE} v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 ${sdkVersion}\n)\n\nreplace ${SDK_MODULE} => ${sdk}\n`,
    );
    copyFileSync(path.join(TOOLS, "go.sum"), path.join(dir, "go.sum"));
    const harness = new GoHarness(dir);
    await harness.build("");
    await harness.#go("mod", "tidy");
    return harness;
  }

  #go(...args: string[]) {
    return promisify(execFile)("go", args, { cwd: this.dir, env: { ...process.env, GOFLAGS: "-mod=mod" }, maxBuffer: 16 * 1024 * 1024 });
  }

  async build(body: string): Promise<void> {
    writeFileSync(path.join(this.dir, "main.go"), readFileSync(path.join(CLI_SUPPORT, "go", "main.go.tmpl"), "utf8").replace("\t// PROGRAM\n", body.replace(/^/gm, "\t")));
    await this.#go("build", "-o", "program", ".");
  }
}
