/**
 * What the failure scenarios of issue 18 share (test/e2e/interrupted, cancelled, outage, revoked,
 * race, fleetOptions): the fleet's size, the CLI's process, the checkpoint, and the audit of
 * CauseFlow against the stacks each scenario ends with. Under `npm run scenarios` the fleets take
 * their full size and each audit is written down for the closing figures (tools/scenarios.ts).
 */
import { appendFileSync } from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../../tools/emulator/server";
import { DYNAMIC_TENANT_TYPE, PLUGIN_TENANT_TYPE } from "../../../provider/core/tenantRules";
import type { Audit, ScenarioFigures } from "../../../tools/scenarios";
import { commandOf } from "../processes";
import type { CliWorkspace } from "./workspace";

const FULL_FLEET = Number(process.env.CAUSEFLOW_SCENARIO_FLEET);
/** Whether this is `npm run scenarios`' full-size run (CAUSEFLOW_SCENARIO_FLEET set), not CI's. */
export const FULL_SIZE = Number.isInteger(FULL_FLEET) && FULL_FLEET > 0;

/** `ciSize` tenants, or CAUSEFLOW_SCENARIO_FLEET's number in the full-size run. */
export function fleetSize(ciSize: number): number {
  return FULL_SIZE ? FULL_FLEET : ciSize;
}

/** The `pulumi` process running `verb` among these (not lifeline, whose command line holds it too). */
export function theCli(pids: number[], verb = "up"): number {
  const cli = pids.find((pid) => {
    const [executable, first] = commandOf(pid).split(" ");
    return path.basename(executable) === "pulumi" && first === verb;
  });
  if (cli === undefined) throw new Error(`no \`pulumi ${verb}\` among ${pids.map(commandOf).join("; ")}`);
  return cli;
}

export interface Checkpoint {
  deployment: {
    resources: { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[];
    pending_operations?: { type: string; resource: { urn: string } }[];
  };
}

/** A stack's checkpoint, as `pulumi stack export` gives it, in a project folder. */
export async function checkpoint(workspace: CliWorkspace, project: string): Promise<Checkpoint> {
  return JSON.parse((await workspace.pulumi(project, "stack", "export")).stdout) as Checkpoint;
}

/** The tenants a checkpoint records (the plugin's, or the dynamic resource's), by id. */
export function recordedTenants(state: Checkpoint): { urn: string; id: string; slug?: string }[] {
  return state.deployment.resources
    .filter((resource) => resource.type === PLUGIN_TENANT_TYPE || resource.type === DYNAMIC_TENANT_TYPE)
    .map((resource) => ({ urn: resource.urn, id: resource.id ?? "", slug: resource.outputs?.slug as string | undefined }));
}

/** Whether a slug is one of a fleet's: its prefix and a number (`fleet-7`). */
function inFleet(slug: string, slugPrefix: string): boolean {
  return new RegExp(`^${slugPrefix}-\\d+$`).test(slug);
}

/**
 * Audits CauseFlow's tenants whose slug is one of `stacks`' prefixes and a number (`fleet-7`)
 * against those stacks' checkpoints: each stack should hold exactly the tenants of its own prefix.
 */
export function audit(emulator: RunningEmulator, stacks: { slugPrefix: string; state: Checkpoint }[]): Audit {
  const ours = emulator.store.all().filter((tenant) => stacks.some((stack) => inFleet(tenant.slug, stack.slugPrefix)));
  const recorded = stacks.flatMap((stack) => recordedTenants(stack.state).map((tenant) => ({ ...tenant, stack })));
  const ids = recorded.map((tenant) => tenant.id);
  const slugs = ours.map((tenant) => tenant.slug);
  return {
    unrecorded: ours.filter((tenant) => !ids.includes(tenant.tenantId)).length,
    duplicates: slugs.length - new Set(slugs).size + (ids.length - new Set(ids).size),
    changedStacks: recorded.filter((tenant) => {
      const slug = ours.find((held) => held.tenantId === tenant.id)?.slug;
      return slug !== undefined && !inFleet(slug, tenant.stack.slugPrefix);
    }).length,
    pending: stacks.reduce((sum, stack) => sum + (stack.state.deployment.pending_operations?.length ?? 0), 0),
  };
}

export const CLEAN: Audit = { unrecorded: 0, duplicates: 0, changedStacks: 0, pending: 0 };

/** Writes a scenario's figures down when `npm run scenarios` asks for them (CAUSEFLOW_SCENARIO_FIGURES, a JSON-lines file). */
export function reportFigures(figures: ScenarioFigures): void {
  const file = process.env.CAUSEFLOW_SCENARIO_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify(figures)}\n`);
}

/** The errors a run printed, one line each, each once: what a user reads after a failure. */
export function errorsPrinted(printedByRun: string): string[] {
  const lines = printedByRun.replace(/\\"/g, '"').split("\n").map((line) => line.trim());
  return [...new Set(lines.filter((line) => line.startsWith("error: ")))];
}

/**
 * `pulumi up` in a YAML fleet's project after a failure: it succeeds, and CauseFlow then holds the
 * whole fleet (`size` tenants of `slugPrefix`), each recorded once and nothing pending. The audit.
 */
export async function expectTheNextUpConverges(workspace: CliWorkspace, project: string, emulator: RunningEmulator, slugPrefix: string, size: number): Promise<Audit> {
  const again = await workspace.run(project, ["up", "--yes", "--skip-preview"]);
  expect(again.code).toBe(0);
  const afterRecovery = audit(emulator, [{ slugPrefix, state: await checkpoint(workspace, project) }]);
  expect(afterRecovery).toEqual(CLEAN);
  expect(emulator.store.all().filter((tenant) => inFleet(tenant.slug, slugPrefix))).toHaveLength(size);
  return afterRecovery;
}

