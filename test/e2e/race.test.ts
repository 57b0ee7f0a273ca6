/**
 * Issue 18, scenario 4: two stacks declaring the same slug, applied at the same moment through the
 * real Pulumi CLI (the plugin, from YAML), 20 times. Each time exactly one stack gets the tenant and
 * records it; the other fails with the slug-taken error and its way out, and records nothing; and
 * CauseFlow holds the slug once.
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, printed } from "../support/cli/workspace";
import { audit, CLEAN, reportFigures, type Checkpoint } from "../support/cli/scenarios";

const ROUNDS = 20;

describeWithCli()("two stacks applying one slug at the same moment, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  const projects = ["alpha", "beta"];

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-race-");
    for (const project of projects) {
      workspace.yamlProject(
        project,
        `config:\n  slug:\n    type: string\nresources:\n  tenant:\n    type: causeflow:index:Tenant\n` +
          `    properties:\n      name: Raced\n      slug: \${slug}\n      ownerEmail: owner@${project}.example\n`,
      );
    }
  }, 120_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  it(`gives the tenant to exactly one of them, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const stacks: { slugPrefix: string; state: Checkpoint }[] = [];
    let loserSaw = "";
    /** Rounds in which the stack that failed records the tenant all the same: it would have changed stacks. */
    let takenByTheLoser = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const slug = `race-${round}`;
      const stack = `round-${round}`;
      for (const project of projects) {
        const cwd = path.join(workspace.home, project);
        await workspace.initStack(cwd, stack, emulator);
        await workspace.pulumi(cwd, "config", "set", "slug", slug);
      }
      const results = await Promise.all(projects.map((project) => workspace.run(path.join(workspace.home, project), ["up", "--yes", "--skip-preview"])));
      const winners = results.filter((result) => result.code === 0);
      const losers = results.filter((result) => result.code !== 0);
      expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
      expect(printed(losers[0])).toContain(`The slug "${slug}" is already taken`);
      expect(printed(losers[0])).toContain("adoptExisting: true");

      const held = emulator.store.all().filter((tenant) => tenant.slug === slug);
      expect(held).toHaveLength(1);
      const states = await Promise.all(projects.map((project) => workspace.pulumi(path.join(workspace.home, project), "stack", "export")));
      expect(states.map((state) => state.stdout.includes(held[0].tenantId))).toEqual(results.map((result) => result.code === 0));
      takenByTheLoser += states.filter((state, i) => results[i].code !== 0 && state.stdout.includes(held[0].tenantId)).length;
      stacks.push(...states.map((state) => ({ slugPrefix: "race", state: JSON.parse(state.stdout) as Checkpoint })));
      loserSaw ||= printed(losers[0]).split("\n").find((line) => line.includes("is already taken")) ?? "";
    }
    // Every raced slug held once and recorded once. (Both stacks declare it, so which stack holds it is counted by round.)
    const figures = { ...audit(emulator, stacks), changedStacks: takenByTheLoser };
    expect(figures).toEqual(CLEAN);
    reportFigures({ scenario: `4 two stacks, one slug (${ROUNDS} rounds)`, host: "plugin", fleet: 1, afterFailure: figures, afterRecovery: figures, messages: [loserSaw.trim()] });
  }, 600_000);
});
