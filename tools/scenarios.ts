/**
 * `npm run scenarios [-- --fleet N]`: the failure scenarios of issue 18 (test/e2e: cancelled,
 * interrupted, outage, revoked, race, fleetOptions) at full size, 200 tenants by default, through
 * the pinned Pulumi CLI; then, per scenario and host, CauseFlow audited against the stacks after
 * the failure and after the documented way back, and what the user read. Not part of `npm test`,
 * which runs the same tests at a size that fits CI. Jest runs in this process, so that whatever
 * the tests start ends with it (the CLI runs under lifeline).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runCLI } from "jest";
import { exitWithParent } from "../provider/lifeline/exitWithParent";
import { PACKAGE_ROOT } from "./packageRoot";

/** CauseFlow against the stacks, as test/support/cli/scenarios.ts audits it: what the issue's goals count. */
export interface Audit {
  /** Tenants in CauseFlow (of the scenario's slugs) that no stack records. */
  unrecorded: number;
  /** Slugs held twice in CauseFlow, plus tenants recorded twice across the stacks. */
  duplicates: number;
  /** Tenants recorded by a stack whose slug prefix is another's. */
  changedStacks: number;
  /** Pending operations left in the checkpoints. */
  pending: number;
}

/** One scenario's figures for one host, as a test writes them down (JSON lines). */
export interface ScenarioFigures {
  scenario: string;
  host: "plugin" | "dynamic";
  fleet: number;
  /** The audit right after the failure, and after the documented way back. */
  afterFailure: Audit;
  afterRecovery: Audit;
  /** What the user read after the failure: the first line of each distinct error, a few. */
  messages: string[];
}

const SCENARIO_TESTS = ["cancelled", "interrupted", "outage", "revoked", "race", "fleetOptions"];

async function main(): Promise<void> {
  // A parent's death ends this process at once, its temporary folder left to the system's.
  exitWithParent();
  const { values } = parseArgs({ options: { fleet: { type: "string", default: "200" }, only: { type: "string" } } });
  const fleet = Number(values.fleet);
  if (!Number.isInteger(fleet) || fleet < 1) throw new Error(`--fleet must be a whole number of tenants, not ${values.fleet}`);
  const tests = values.only ? values.only.split(",") : SCENARIO_TESTS;
  const unknown = tests.filter((test) => !SCENARIO_TESTS.includes(test));
  if (unknown.length > 0) throw new Error(`no scenario test ${unknown.join(", ")}; choose among ${SCENARIO_TESTS.join(", ")}`);

  const folder = mkdtempSync(path.join(tmpdir(), "causeflow-scenarios-"));
  const figuresFile = path.join(folder, "figures.jsonl");
  process.env.CAUSEFLOW_SCENARIO_FLEET = String(fleet);
  process.env.CAUSEFLOW_SCENARIO_FIGURES = figuresFile;
  process.env.CI = "true"; // a missing Pulumi CLI fails the run instead of skipping it
  console.error(`scenarios: ${tests.join(", ")}, fleets of ${fleet} tenants`);
  const started = Date.now();
  try {
    const { results } = await runCLI(
      {
        _: [],
        $0: "scenarios",
        selectProjects: ["e2e"],
        runInBand: true,
        testPathPattern: tests.map((test) => `test/e2e/${test}\\.test\\.ts$`),
        reporters: ["default", path.join(__dirname, "scenarioProgress.js")],
      },
      [PACKAGE_ROOT],
    );
    const figures = readFigures(figuresFile);
    console.log(table(figures));
    console.log(`\n${results.numPassedTests} tests passed, ${results.numFailedTests} failed, in ${Math.round((Date.now() - started) / 1000)} s.`);
    for (const figure of figures) {
      if (figure.messages.length > 0) console.log(`\n${figure.scenario}, ${figure.host}:\n${figure.messages.map((line) => `  ${line}`).join("\n")}`);
    }
    if (!results.success) process.exitCode = 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function readFigures(file: string): ScenarioFigures[] {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as ScenarioFigures);
  } catch {
    return [];
  }
}

/** Markdown: per scenario and host, the audit after the failure and after the way back. */
function table(figures: ScenarioFigures[]): string {
  const rows = figures.map(
    ({ scenario, host, fleet, afterFailure: failed, afterRecovery: recovered }) =>
      `| ${scenario} | ${host} | ${fleet} | ${failed.unrecorded} | ${failed.pending} | ${recovered.unrecorded} | ${failed.duplicates + recovered.duplicates} | ${recovered.changedStacks} |`,
  );
  return [
    "| scenario | host | tenants | unrecorded after the failure | pending operations after it | unrecorded after the way back | duplicates | tenants that changed stacks |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

// Run as a script only: test support imports this module's types.
if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`scenarios: ${error.message}`);
    process.exit(1);
  });
}
