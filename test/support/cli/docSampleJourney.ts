/**
 * The journey every language's sample in docs/_index.md takes with the plugin's generated SDK, so
 * that each language is held to the same account: up creates the sample's tenant and previews no
 * changes after; a rename is an update that PATCHes the name alone; a tenant made by hand is
 * imported by id with the language's `import` resource option, after which nothing changes.
 */
import type { RunningEmulator } from "../../../tools/emulator/server";
import { tenantMadeByHand, writesTo, type HarnessResult } from "./workspace";

export interface SampleProgram {
  emulator: RunningEmulator;
  /** Runs the program as it now stands. */
  run(operation: "up" | "preview"): Promise<HarnessResult>;
  /** Rewrites the program with the sample's tenant named "Acme Corporation". */
  rename(): Promise<void>;
  /** Adds a tenant `legacy` with this slug, imported by this id, to the program. */
  addImported(slug: string, id: string): Promise<void>;
}

export function itRunsTheDocSample(language: string, program: () => SampleProgram): void {
  it("creates the sample's tenant with `pulumi up`, then previews no changes", async () => {
    const { emulator, run } = program();
    const up = await run("up");
    const [tenant] = emulator.store.all();
    expect(tenant).toMatchObject({ name: "Acme Corp", slug: "acme-corp", plan: "pro", settings: { awsRegion: "us-east-1" } });
    expect(up.summary.outputs).toEqual({ tenantId: tenant.tenantId });
    expect(up.printed).not.toContain(emulator.adminToken);
    emulator.journal.length = 0;
    expect((await run("preview")).summary.changes).toEqual({ same: 2 });
    expect(emulator.journal).toEqual([]);
  }, 300_000);

  it("updates it in place when the program renames it, PATCHing the name alone", async () => {
    const { emulator, run, rename } = program();
    await rename();
    emulator.journal.length = 0;
    expect((await run("up")).summary.changes).toMatchObject({ update: 1 });
    expect(writesTo(emulator)).toEqual([{ method: "PATCH", path: expect.any(String), body: { name: "Acme Corporation" } }]);
    expect(emulator.store.size).toBe(1);
  }, 300_000);

  it("imports a tenant made by hand by id with the `import` resource option, then previews no changes", async () => {
    const { emulator, run, addImported } = program();
    await addImported(`${language}-legacy`, await tenantMadeByHand(emulator, `${language}-legacy`));
    emulator.journal.length = 0;
    expect((await run("up")).summary.changes).toMatchObject({ import: 1 });
    expect((await run("preview")).summary.changes).toEqual({ same: 3 });
    expect(writesTo(emulator)).toEqual([]);
  }, 300_000);
}
