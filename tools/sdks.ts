/**
 * `npm run sdks`: the plugin's SDKs for every Pulumi language, generated from its package schema by
 * Pulumi's code generators pinned in tools/pulumi (built by build.sh), into sdk/<language>. They are
 * committed, never edited by hand: an end-to-end test regenerates them and fails on any difference.
 *
 *   npm run sdks [-- --out <folder>] [--plugin-download-url <url>] [--language <language>]...
 *
 * `--plugin-download-url` builds SDKs that make the Pulumi CLI fetch the plugin from a mirror
 * instead of this repository's GitHub releases. Besides the generators' files, each SDK gets what a
 * package manager publishes with it: README.md and LICENSE at its root, a go.sum for Go and a
 * pom.xml for Maven.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { packageSchema, type PackageSpec } from "../provider/plugin/packageSchema";
import { PLUGIN_DOWNLOAD_URL, REPOSITORY_URL, VERSION } from "../provider/packageInfo";
import { PACKAGE_ROOT } from "./packageRoot";

export const SDK_LANGUAGES = ["python", "nodejs", "go", "java", "dotnet"] as const;
export type SdkLanguage = (typeof SDK_LANGUAGES)[number];

/**
 * Each language's generator, from build.sh's folder, and what it takes after the schema and the
 * output folder: ours for pkg/v3's three, then Java's and .NET's own. .NET's downloads the package
 * icon from logoUrl; it is given the committed file instead, so that generating needs no network.
 */
const GENERATOR: Record<SdkLanguage, string[]> = {
  python: ["gen-sdk", "python"],
  nodejs: ["gen-sdk", "nodejs"],
  go: ["gen-sdk", "go"],
  java: ["gen-sdk-java"],
  dotnet: ["gen-sdk-dotnet", path.join(PACKAGE_ROOT, "docs", "logo.png")],
};

const TOOLS = path.join(PACKAGE_ROOT, "tools", "pulumi");

/** The Pulumi Go SDK the Go SDK requires: the one pinned beside the CLI, with which it is tested. */
export function pulumiGoSdkVersion(): string {
  const pin = /^\s*github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/m.exec(readFileSync(path.join(TOOLS, "go.mod"), "utf8"));
  if (!pin) throw new Error("tools/pulumi/go.mod pins no github.com/pulumi/pulumi/sdk/v3");
  return pin[1];
}

/** The schema's language sections, as far as the SDKs' packaging reads them. */
interface LanguageInfo {
  nodejs: { packageName: string };
  python: { packageName: string };
  go: { importBasePath: string };
  java: { basePackage: string; dependencies: Record<string, string> };
}
const languageInfo = (schema: PackageSpec) => schema.language as unknown as LanguageInfo;

/** How a user adds the SDK, for its README: the names the schema gives each package manager. */
function install(language: SdkLanguage, schema: PackageSpec): string {
  const info = languageInfo(schema);
  switch (language) {
    case "python":
      return `pip install ${info.python.packageName}`;
    case "nodejs":
      return `npm install ${info.nodejs.packageName}`;
    case "go":
      return `go get ${info.go.importBasePath}`;
    case "java":
      return `<dependency><groupId>${info.java.basePackage}</groupId><artifactId>${schema.name}</artifactId></dependency>`;
    case "dotnet":
      // The .NET generator's default package id and namespace, as the schema sets none.
      return `dotnet add package Pulumi.${schema.name[0].toUpperCase()}${schema.name.slice(1)}`;
  }
}

function readme(language: SdkLanguage, schema: PackageSpec): string {
  return [
    `# CauseFlow for Pulumi (${language})`,
    "",
    schema.description,
    "This SDK is generated from the `causeflow` provider's schema; the Pulumi CLI downloads the provider's plugin by itself.",
    "",
    "```sh",
    install(language, schema),
    "```",
    "",
    `Set \`causeflow:apiToken\` (a secret) and, for a local emulator, \`causeflow:apiUrl\`; then \`pulumi up\`. Documentation: ${REPOSITORY_URL}/blob/main/docs/_index.md`,
    "",
  ].join("\n");
}

/**
 * Maven's build for the Java SDK, which the generator writes for Gradle only: the same coordinates
 * and dependencies (Pulumi's, and jsr305 for the generated `@Nullable`), with what Maven Central
 * asks of a release in the `release` profile (sources, javadoc, signatures, the publishing plugin).
 */
function pom(schema: PackageSpec): string {
  const { java } = languageInfo(schema);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by npm run sdks (tools/sdks.ts) beside the generated Java SDK; do not edit. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${java.basePackage}</groupId>
  <artifactId>${schema.name}</artifactId>
  <version>${schema.version}</version>
  <packaging>jar</packaging>
  <name>${schema.displayName}</name>
  <description>${schema.description}</description>
  <url>${schema.homepage}</url>
  <licenses>
    <license><name>${schema.license}</name><url>https://www.apache.org/licenses/LICENSE-2.0.txt</url></license>
  </licenses>
  <developers>
    <developer><name>${schema.publisher}</name><url>${schema.homepage}</url></developer>
  </developers>
  <scm>
    <url>${schema.repository}</url>
    <connection>scm:git:${schema.repository}.git</connection>
  </scm>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>11</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency><groupId>com.pulumi</groupId><artifactId>pulumi</artifactId><version>${java.dependencies["com.pulumi:pulumi"]}</version></dependency>
    <dependency><groupId>com.google.code.findbugs</groupId><artifactId>jsr305</artifactId><version>3.0.2</version></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
    </plugins>
  </build>
  <profiles>
    <profile>
      <id>release</id>
      <build>
        <plugins>
          <plugin>
            <groupId>org.apache.maven.plugins</groupId><artifactId>maven-source-plugin</artifactId><version>3.3.1</version>
            <executions><execution><id>sources</id><goals><goal>jar-no-fork</goal></goals></execution></executions>
          </plugin>
          <plugin>
            <groupId>org.apache.maven.plugins</groupId><artifactId>maven-javadoc-plugin</artifactId><version>3.11.2</version>
            <configuration><doclint>none</doclint></configuration>
            <executions><execution><id>javadoc</id><goals><goal>jar</goal></goals></execution></executions>
          </plugin>
          <plugin>
            <groupId>org.apache.maven.plugins</groupId><artifactId>maven-gpg-plugin</artifactId><version>3.2.7</version>
            <executions><execution><id>sign</id><phase>verify</phase><goals><goal>sign</goal></goals></execution></executions>
          </plugin>
          <plugin>
            <groupId>org.sonatype.central</groupId><artifactId>central-publishing-maven-plugin</artifactId><version>0.7.0</version>
            <extensions>true</extensions>
            <configuration><publishingServerId>central</publishingServerId><autoPublish>true</autoPublish></configuration>
          </plugin>
        </plugins>
      </build>
    </profile>
  </profiles>
</project>
`;
}

/** What a package manager publishes beside the generated code, written into the SDK's folder. */
function complete(language: SdkLanguage, dir: string, schema: PackageSpec): void {
  writeFileSync(path.join(dir, "README.md"), readme(language, schema));
  copyFileSync(path.join(PACKAGE_ROOT, "LICENSE"), path.join(dir, "LICENSE"));
  if (language === "go") {
    // The generator requires an old Pulumi SDK and writes no go.sum; require the tested one and tidy.
    const env = { ...process.env, GOFLAGS: "-mod=mod" };
    execFileSync("go", ["mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@${pulumiGoSdkVersion()}`], { cwd: dir, env });
    execFileSync("go", ["mod", "tidy"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
  }
  if (language === "java") {
    writeFileSync(path.join(dir, "pom.xml"), pom(schema));
    // What the generated build.gradle writes at build time, and the SDK's Utilities reads: its
    // version, and the plugin it asks the engine for.
    const resources = path.join(dir, "src", "main", "resources", ...`${languageInfo(schema).java.basePackage}.${schema.name}`.split("."));
    mkdirSync(resources, { recursive: true });
    writeFileSync(path.join(resources, "version.txt"), schema.version);
    writeFileSync(path.join(resources, "plugin.json"), JSON.stringify({ resource: true, name: schema.name, version: schema.version, server: schema.pluginDownloadURL }));
  }
}

export interface SdkOptions {
  /** The folder whose <language> subfolders are replaced: sdk/ by default. */
  out?: string;
  pluginDownloadURL?: string;
  languages?: readonly SdkLanguage[];
  log?: (line: string) => void;
}

/** Generates the SDKs; returns the folder that holds them. */
export function generateSdks({ out = path.join(PACKAGE_ROOT, "sdk"), pluginDownloadURL = PLUGIN_DOWNLOAD_URL, languages = SDK_LANGUAGES, log = console.log }: SdkOptions = {}): string {
  log("sdks: the pinned generators (tools/pulumi/build.sh; the first build takes several minutes)");
  const built = execFileSync("bash", [path.join(TOOLS, "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n");
  const bin = built[built.length - 1];
  const work = mkdtempSync(path.join(tmpdir(), "causeflow-sdks-"));
  try {
    const schema = packageSchema(VERSION, pluginDownloadURL);
    const schemaFile = path.join(work, "schema.json");
    writeFileSync(schemaFile, JSON.stringify(schema));
    for (const language of languages) {
      log(`sdks: ${language}`);
      const [generator, ...args] = GENERATOR[language];
      execFileSync(path.join(bin, generator), [schemaFile, work, ...args], { stdio: ["ignore", "ignore", "inherit"] });
      complete(language, path.join(work, language), schema);
      rmSync(path.join(out, language), { recursive: true, force: true });
      cpSync(path.join(work, language), path.join(out, language), { recursive: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { out: { type: "string" }, "plugin-download-url": { type: "string" }, language: { type: "string", multiple: true } },
  });
  const unknown = values.language?.find((language) => !(SDK_LANGUAGES as readonly string[]).includes(language));
  if (unknown !== undefined) {
    console.error(`sdks: no SDK for ${JSON.stringify(unknown)}; --language takes ${SDK_LANGUAGES.join(", ")}`);
    process.exit(2);
  }
  const out = generateSdks({
    out: values.out === undefined ? undefined : path.resolve(values.out),
    pluginDownloadURL: values["plugin-download-url"],
    languages: values.language as SdkLanguage[] | undefined,
  });
  console.log(`sdks: written under ${path.relative(process.cwd(), out) || "."}`);
}
