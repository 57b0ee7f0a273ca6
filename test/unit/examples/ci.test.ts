import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../support/repo";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if: string;
  permissions?: Record<string, string>;
  environment?: string;
  steps: Step[];
}

const workflow = parse(readFileSync(path.join(REPO_ROOT, "examples/ci/causeflow.yml"), "utf8")) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const pulumiStep = (job: Job) => job.steps.find((step) => step.uses?.startsWith("pulumi/actions@"))!;

describe("the CI example workflow", () => {
  it("runs on pull requests and on pushes to main", () => {
    expect(workflow.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
  });

  it("previews pull requests with a diff, posted as a comment, with no CauseFlow token", () => {
    const { preview } = workflow.jobs;
    expect(preview.if).toContain("github.event_name == 'pull_request'");
    expect(preview.permissions?.["pull-requests"]).toBe("write");
    expect(preview.steps.map((step) => step.uses ?? step.run)).toEqual(["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "pulumi/actions@v6"]);
    expect(pulumiStep(preview).with).toMatchObject({ command: "preview", diff: true, "comment-on-pr": true });
    expect(pulumiStep(preview).with).not.toHaveProperty("refresh");
    expect(JSON.stringify(preview)).not.toMatch(/CAUSEFLOW/);
  });

  it("deploys main with the token from the production environment", () => {
    const { up } = workflow.jobs;
    expect(up.if).toContain("refs/heads/main");
    expect(up.environment).toBe("production");
    expect(pulumiStep(up).with).toMatchObject({ command: "up" });
    expect(pulumiStep(up).env?.CAUSEFLOW_API_TOKEN).toBe("${{ secrets.CAUSEFLOW_API_TOKEN }}");
    expect(up.steps.map((step) => step.run).filter(Boolean)).toEqual(["npm ci"]);
  });

  it("uses the same stack in both jobs", () => {
    expect(pulumiStep(workflow.jobs.preview).with?.["stack-name"]).toBe(pulumiStep(workflow.jobs.up).with?.["stack-name"]);
  });
});
