/**
 * What the state holds: a small `__provider` that survives a move to another machine and an
 * upgrade of the package, and secrets that stay secret.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Engine, secretOutputPaths } from "../../engine/engine";
import { ProviderHost } from "../../engine/host";
import { REPO_ROOT, startStack, type Stack } from "./fixture";

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
    // Inlining the provider (zod, undici, the plan) would make it hundreds of kilobytes.
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    // The README states the size; it must stay true.
    const stated = /a `__provider` text of ([\d,]+) bytes/.exec(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
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
    upgrade("plan.js", "status: tenant.status,", 'status: tenant.status + " (read by v2)",');
    upgrade("plan.js", "was removed from the Pulumi stack", "was removed (by v2) from the Pulumi stack");

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
