/**
 * What the state holds: a small `__provider` that survives a move to another machine, an upgrade
 * of the package and a rollback, and secrets that stay secret.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Engine, secretOutputPaths } from "../../../../tools/engine-model/engine";
import { ProviderHost } from "../../../../tools/engine-model/host";
import { hasRevision, installRevision } from "../../../../tools/engine-model/revision";
import { REPO_ROOT } from "../../../support/repo";
import { startStack, type Stack } from "../../../support/stack";
import { FIXTURES } from "../../../support/repo";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const args = { name: "Acme Corp", slug: "state-acme", ownerEmail: "owner@acme.com", settings: { awsRegion: "us-east-1" } };

describe("__provider", () => {
  it("is a small shim, the same for every tenant", async () => {
    const a = await stack.tenant(args, "a");
    const b = await stack.tenant({ ...args, slug: "other", settings: { awsRegion: "eu-west-1" } }, "b");
    const text = a.inputs.__provider as string;
    expect(b.inputs.__provider).toBe(text);
    // Module text of a line: no code of ours, no wrapper of the closure serializer.
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(256);
    // docs/lifecycle.md states the size; it must stay true.
    const stated = /a `__provider` text of ([\d,]+) bytes/.exec(readFileSync(path.join(REPO_ROOT, "docs", "lifecycle.md"), "utf8"));
    expect(Number(stated?.[1].replace(/,/g, ""))).toBe(Buffer.byteLength(text));
  });
});

describe("a stack moved to another checkout, after an upgrade of the package", () => {
  it("refreshes and deletes with the code installed there, not the code that created the tenant", async () => {
    await stack.engine.up(await stack.tenant(args));
    const [created] = stack.engine.stack.values();

    // Another machine: a program directory at another path, with @causeflow/pulumi installed in
    // its node_modules, at a newer version whose read and delete behave observably differently.
    const program = mkdtempSync(path.join(tmpdir(), "cf-ci-runner-"));
    const installed = path.join(program, "node_modules", "@causeflow", "pulumi");
    mkdirSync(installed, { recursive: true });
    cpSync(path.join(REPO_ROOT, "package.json"), path.join(installed, "package.json"));
    cpSync(path.join(REPO_ROOT, "dist"), path.join(installed, "dist"), { recursive: true });
    for (const dependency of ["undici", "zod"]) {
      symlinkSync(path.join(REPO_ROOT, "node_modules", dependency), path.join(program, "node_modules", dependency));
    }
    const upgrade = (file: string, from: string, to: string) => {
      const target = path.join(installed, "dist", "provider", file);
      const text = readFileSync(target, "utf8");
      expect(text).toContain(from);
      writeFileSync(target, text.replace(from, to));
    };
    upgrade("core/decisions.js", "status: tenant.status,", 'status: tenant.status + " (read by v2)",');
    upgrade("core/messages.js", "was removed from the Pulumi stack", "was removed (by v2) from the Pulumi stack");

    const host = await ProviderHost.start({ cwd: program });
    try {
      await host.configure({ "causeflow:apiUrl": stack.emulator.url, "causeflow:apiToken": stack.emulator.adminToken });
      const engine = new Engine(host);
      engine.stack.set(created.urn, created);
      await engine.refresh();
      expect(engine.stack.get(created.urn)?.outputs.status).toBe("active (read by v2)");
      await engine.delete(created.urn);
      await expect(host.waitForOutput(/was removed/)).resolves.toMatch(/was removed \(by v2\) from the Pulumi stack/);
    } finally {
      await host.stop();
      rmSync(program, { recursive: true, force: true });
    }
  });
});

/** The text 0.1.0 stored, made by Pulumi's closure serializer: what every existing stack holds. */
const SHIM_0_1_0 = readFileSync(path.join(FIXTURES, "shim-0.1.0.js"), "utf8");

describe("a stack written by 0.1.0, whose state holds its 2,257-byte shim", () => {
  it("refreshes, updates and destroys with this package, the shim change alone making no diff", async () => {
    const registration = await stack.tenant({ ...args, slug: "old-shim" }, "old");
    const old = { ...registration, inputs: { ...registration.inputs, __provider: SHIM_0_1_0 } };
    await stack.engine.up(old);
    const state = stack.engine.stack.get(old.urn)!;
    expect(state.outputs.__provider).toBe(SHIM_0_1_0);
    expect(Buffer.byteLength(SHIM_0_1_0)).toBe(2257);

    expect(await stack.engine.preview(registration)).toMatchObject({ kind: "same", changed: [] });
    expect((await stack.engine.refresh()).find((step) => step.urn === old.urn)).toMatchObject({ kind: "refresh", changed: [] });
    expect(await stack.engine.up({ ...registration, inputs: { ...registration.inputs, name: "Acme Renamed" } })).toMatchObject({ kind: "update", changed: ["name"] });
    expect(stack.emulator.store.findBySlug("old-shim")?.name).toBe("Acme Renamed");
    const before = stack.host.output.length;
    await stack.engine.delete(old.urn);
    await expect(stack.host.waitForOutput(/"old-shim" .* still exists/, before)).resolves.toBeDefined();
  });
});

/**
 * 0.1.0 as it was before this change, built from git, installed in a program's node_modules: a
 * stack this package wrote must still refresh, update and destroy after a rollback to it.
 */
const ROLLBACK_TO = "c0f31e6";
const rollbackPossible = hasRevision(ROLLBACK_TO);
if (!rollbackPossible) process.stderr.write(`test/integration/tools/engine-model/state.test.ts: rollback test skipped, revision ${ROLLBACK_TO} is not in this clone's history\n`);

(rollbackPossible ? describe : describe.skip)(`a stack written by this package, after a rollback to ${ROLLBACK_TO}`, () => {
  let scratch: string;
  let program: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "cf-rollback-"));
    const installed = installRevision(ROLLBACK_TO, scratch);
    program = installed.program;
    // Observably the old code: its reads say so.
    const plan = path.join(installed.source, "dist", "provider", "plan.js");
    writeFileSync(plan, readFileSync(plan, "utf8").replace("status: tenant.status,", 'status: tenant.status + " (read by the rollback)",'));
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("refreshes, updates and destroys with the rolled-back package", async () => {
    const registration = await stack.tenant({ ...args, slug: "rolled-back" }, "rolled");
    await stack.engine.up(registration);
    const written = stack.engine.stack.get(registration.urn)!;
    const host = await ProviderHost.start({ cwd: program });
    try {
      await host.configure({ "causeflow:apiUrl": stack.emulator.url, "causeflow:apiToken": stack.emulator.adminToken });
      const engine = new Engine(host);
      engine.stack.set(written.urn, written);
      await engine.refresh();
      expect(engine.stack.get(written.urn)?.outputs.status).toBe("active (read by the rollback)");
      await engine.up({ ...registration, inputs: { ...registration.inputs, name: "Acme After Rollback" } });
      expect(stack.emulator.store.findBySlug("rolled-back")?.name).toBe("Acme After Rollback");
      await engine.delete(written.urn);
      await expect(host.waitForOutput(/"rolled-back" .* still exists/)).resolves.toBeDefined();
    } finally {
      await host.stop();
    }
  }, 60_000);
});

describe("secrets", () => {
  it("keep an external id given as a secret secret in state, and nowhere else in the clear", async () => {
    const external = "causeflow-ext-7c1e09";
    const before = stack.host.output.length;
    const registration = await stack.tenant({ ...args, slug: "secret-acme", settings: { awsRegion: "us-east-1", awsExternalId: pulumi.secret(external) } }, "secret");
    expect(registration.secretPaths).toEqual(["settings.awsExternalId"]);
    await stack.engine.up(registration);
    const state = stack.engine.stack.get(registration.urn)!;
    expect(secretOutputPaths(state.outputs, state.secretInputs)).toEqual(["settings.awsExternalId"]);
    const { settings, ...rest } = state.outputs as { settings: Record<string, unknown> };
    const { awsExternalId, ...otherSettings } = settings;
    expect(awsExternalId).toBe(external);
    expect(JSON.stringify([rest, otherSettings, stack.host.output.slice(before)])).not.toContain(external);

    const changed = await stack.engine.preview(await stack.tenant({ ...args, slug: "secret-acme", settings: { awsRegion: "us-east-1", awsExternalId: pulumi.secret("rotated-id-42") } }, "secret"));
    expect(changed).toMatchObject({ kind: "update", changed: ["settings.awsExternalId"], secrets: ["settings.awsExternalId"] });
  });
});

describe("engine's secret rule (a model of annotateSecrets)", () => {
  it("marks only the secret leaf inside an object, and a whole value whose input was secret", () => {
    const outputs = { name: "n", settings: { awsExternalId: "x", awsRegion: "r" }, list: ["a"] };
    expect(secretOutputPaths(outputs, ["settings.awsExternalId", "list[0]"])).toEqual(["settings.awsExternalId", "list"]);
    expect(secretOutputPaths(outputs, ["settings"])).toEqual(["settings"]);
    expect(secretOutputPaths(outputs, [])).toEqual([]);
  });
});
