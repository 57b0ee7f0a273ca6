/**
 * The commands the READMEs and docs give a newcomer, read from their `sh` blocks in order: each
 * step a fresh shell or a copied folder needs comes before the command that needs it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/repo";

/** The command lines of the `sh` blocks in `file` (from its `section` heading to the next heading of that level), comments left out. */
function commands(file: string, section?: string): string[] {
  let text = readFileSync(path.join(REPO_ROOT, file), "utf8");
  if (section) {
    const level = /^#+/.exec(section)![0];
    const start = text.indexOf(`\n${section}\n`);
    if (start < 0) throw new Error(`${file} has no section "${section}"`);
    text = text.slice(start + 1).split(new RegExp(`\n#{1,${level.length}} `))[0];
  }
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap(([, block]) => block.split("\n"))
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter(Boolean);
}

/** Expects a line matching each step, in this order; other lines may stand between them. */
function expectInOrder(lines: string[], steps: RegExp[]): void {
  let from = 0;
  for (const step of steps) {
    const at = lines.findIndex((line, index) => index >= from && step.test(line));
    expect({ step: String(step), found: at >= 0 }).toEqual({ step: String(step), found: true });
    from = at + 1;
  }
}

/** What a newcomer's fresh shell needs before a stack runs against the emulator. */
const RUN = [/^export PULUMI_CONFIG_PASSPHRASE=\S+/, /pulumi stack init/, /pulumi config set --secret causeflow:apiToken /, /^pulumi up\b/];

describe("the emulator page's steps for the root project with the Pulumi CLI", () => {
  it("build the package, then the program, and set the passphrase before the stack is made", () => {
    const lines = commands("docs/emulator.md", "## Against the emulator, with the Pulumi CLI");
    expectInOrder(lines, [/^npm ci && npm run build$/, /^npm run build --prefix examples\/typescript\/getting-started$/, ...RUN]);
  });
});

describe.each(["getting-started", "aws-iam-role", "fleet"])("the README of the %s example", (example) => {
  const lines = commands(`examples/typescript/${example}/README.md`);

  it("builds it inside the repository: the root's build first, then the example's own, with no npm install", () => {
    expectInOrder(lines, [/^npm ci$/, /^npm run build$/, new RegExp(`^cd examples/typescript/${example}$`), /^npm run build$/]);
    expect(lines.slice(0, lines.findIndex((line) => line.startsWith("cp -r ")))).not.toContain("npm install");
  });

  it("builds it copied out of the repository: install, then build", () => {
    expectInOrder(lines, [new RegExp(`^cp -r examples/typescript/${example} (\\S+)$`), /^cd /, /^npm install$/, /^npm run build$/]);
  });

  it("runs it against the emulator with the passphrase set before the stack is made", () => {
    expectInOrder(lines, RUN);
  });
});

describe("the CI example's local rehearsal", () => {
  it("points the stack at the emulator and gives the token before pulumi up", () => {
    const lines = commands("examples/ci/README.md");
    expectInOrder(lines, [/^export PULUMI_CONFIG_PASSPHRASE=\S+/, /pulumi stack init/, /pulumi config set causeflow:apiUrl http:\/\/127\.0\.0\.1:8080|CAUSEFLOW_API_URL=/, /^CAUSEFLOW_API_TOKEN=\S+ pulumi up$/]);
  });
});
