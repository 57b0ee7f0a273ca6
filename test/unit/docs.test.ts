/**
 * The README and the pages of docs/ as users read them, on GitHub and inside the published npm
 * package: links that resolve there, the configuration as the provider reads it, and the versions
 * it needs stated once, as package.json has them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { SETTINGS } from "../../provider/core/config";
import { REPO_ROOT } from "../support/repo";

interface PackageJson {
  files: string[];
  repository: { url: string };
  engines: { node: string };
  peerDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;
/** The repository's address on GitHub, from package.json: `https://github.com/<owner>/<name>`. */
const REPOSITORY = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
const PAGES = ["README.md", ...readdirSync(path.join(REPO_ROOT, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
/** Pages that state what users need today; decisions.md and benchmark.md record what was, with the versions of then. */
const CURRENT_PAGES = PAGES.filter((page) => !["docs/decisions.md", "docs/benchmark.md"].includes(page));

const read = (page: string) => readFileSync(path.join(REPO_ROOT, page), "utf8");
/** The page's prose and tables: fenced code blocks left out, since their brackets are code. */
const prose = (page: string) => read(page).replace(/^```[\s\S]*?^```/gm, "");
/** Every Markdown link target of the page, outside code. */
const links = (page: string) => [...prose(page).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target);

/** The anchors GitHub makes for the page's headings. */
function anchors(page: string): string[] {
  return [...prose(page).matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-"),
  );
}

/** Whether `npm pack` puts this repository path in the package: package.json's "files", and what npm always takes. */
function published(file: string): boolean {
  return ["README.md", "LICENSE", "package.json"].includes(file) || pkg.files.some((entry) => file === entry || file.startsWith(`${entry}/`));
}

describe.each(PAGES)("%s", (page) => {
  it("links only to files the npm package publishes, and to headings they have", () => {
    for (const target of links(page).filter((link) => !/^[a-z]+:/.test(link))) {
      const [file, anchor] = target.split("#");
      const resolved = file === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      expect({ target, exists: existsSync(path.join(REPO_ROOT, resolved)) }).toEqual({ target, exists: true });
      expect({ target, published: published(resolved) }).toEqual({ target, published: true });
      if (anchor !== undefined) expect({ target, anchors: anchors(resolved) }).toEqual({ target, anchors: expect.arrayContaining([anchor]) });
    }
  });

  it("links into the repository by its address in package.json, on main, to paths that exist", () => {
    const owner = REPOSITORY.split("/").slice(0, 4).join("/");
    for (const target of links(page).filter((link) => link.startsWith(`${owner}/`))) {
      const match = new RegExp(`^${REPOSITORY}/(tree|blob)/main/([^#]+)$`).exec(target);
      expect({ target, onMain: match !== null }).toEqual({ target, onMain: true });
      const [, kind, file] = match!;
      const at = path.join(REPO_ROOT, file);
      expect({ target, found: existsSync(at) && (kind === "tree") === statSync(at).isDirectory() }).toEqual({ target, found: true });
    }
  });

  it("points nowhere outside the repository's own files", () => {
    expect(read(page)).not.toMatch(/\.\.\/shared\b/);
  });
});

describe("the configuration tables", () => {
  /** The `causeflow:` rows of the page's tables: key, environment variable, default. */
  const rows = (page: string) =>
    [...read(page).matchAll(/^\| `causeflow:(\w+)`( \(secret\))? \| `(\w+)` \| `?([^|`]+?)`? \|/gm)].map(([, name, secret, env, fallback]) => ({ name, secret: secret !== undefined, env, fallback }));
  const expected = Object.entries(SETTINGS).map(([name, setting]) => ({
    name,
    secret: "secret" in setting && setting.secret === true,
    env: setting.env,
    fallback: "default" in setting ? String(setting.default) : "none",
  }));

  it.each(["README.md", "docs/installation-configuration.md"])("in %s list every setting the provider reads, with its variable and default", (page) => {
    expect(rows(page)).toEqual(expected);
  });
});

describe("the versions users need", () => {
  const node = pkg.engines.node.replace(/^>=\s*/, "");
  const pulumi = pkg.peerDependencies["@pulumi/pulumi"].replace(/^\^/, "");

  it("are stated once, in the README, as package.json requires them", () => {
    expect(node).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pulumi).toMatch(/^\d+\.\d+\.\d+$/);
    expect(read("README.md")).toContain(`The dynamic resource and the npm package: Node.js ${node} or later, and \`@pulumi/pulumi\` ${pulumi} or later.`);
  });

  it("are stated nowhere else", () => {
    const statements = CURRENT_PAGES.flatMap((page) =>
      [...read(page).matchAll(/(?<![\w.])(Node(?:\.js)?|Pulumi|`@pulumi\/pulumi`) v?\d+(?:\.\d+)*\+?(?: or later| or newer|\+)/g)].map(([statement]) => `${page}: ${statement}`),
    );
    expect(statements).toEqual([`README.md: Node.js ${node} or later`, `README.md: \`@pulumi/pulumi\` ${pulumi} or later`]);
  });
});
