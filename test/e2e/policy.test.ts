/**
 * Journey 7: the policy pack in `pulumi preview --policy-pack`, through the real Pulumi CLI, on the
 * root program (getting-started), which passes it with its defaults, and on the fleet example: a
 * mandatory violation fails the preview with the policy's name and message in the CLI's output,
 * before anything reaches CauseFlow, and a `--policy-pack-config` file is honoured or, when the
 * pack's schemas refuse it, refused.
 *
 * The nodejs language host, which starts a Node pack for the CLI, is not published as a Go module.
 * The CLI also starts an executable given as `--policy-pack` as the analyzer itself, so the pack
 * runs through a two-line launcher doing what that host's RunPlugin does: `node run-policy-pack
 * <engine> <pack>` in the pack's folder (test/support/analyzer.ts has the details).
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { ensurePackBuilt, PACK_DIR } from "../support/analyzer";
import { REPO_ROOT } from "../support/repo";
import { CliWorkspace, describeWithCli, runFresh } from "../support/cli/workspace";

/** An example's compiled program (its `npm run build`), run afresh at each operation. */
const compiledProgram = (example: string) => () => runFresh(path.join(REPO_ROOT, "examples", "typescript", example, "bin", "index.js"));

describeWithCli()("the policy pack in `pulumi preview --policy-pack`, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let launcher: string;
  /** A preview of `stack` with the pack and, if given, this config file: what it printed, and whether it failed. */
  async function preview(stack: Stack, config?: Record<string, unknown>): Promise<{ failed: boolean; output: string }> {
    const policyPackConfigs: string[] = [];
    if (config) {
      policyPackConfigs.push(path.join(workspace.home, "policy-config.json"));
      writeFileSync(policyPackConfigs[0], JSON.stringify(config));
    }
    try {
      const { stdout, stderr } = await stack.preview({ policyPacks: [launcher], policyPackConfigs });
      return { failed: false, output: `${stdout}\n${stderr}` };
    } catch (error) {
      return { failed: true, output: String(error) };
    }
  }
  async function stackOf(project: string, name: string, program: () => Record<string, unknown>): Promise<Stack> {
    const stack = await workspace.inlineStack(project, name, async () => program(), emulator);
    return stack;
  }

  beforeAll(async () => {
    await Promise.all(["getting-started", "fleet"].map((example) => promisify(execFile)("npm", ["run", "build"], { cwd: path.join(REPO_ROOT, "examples", "typescript", example) })));
    ensurePackBuilt();
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-policy-");
    const packFolder = path.join(workspace.home, "pack");
    mkdirSync(packFolder);
    launcher = path.join(packFolder, "causeflow-guardrails");
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
    writeFileSync(launcher, `#!/bin/sh\ncd ${JSON.stringify(PACK_DIR)} && exec node ${JSON.stringify(runPolicyPack)} "$1" .\n`, { mode: 0o755 });
  }, 180_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  describe("on the root program", () => {
    it("passes with the pack's defaults, before any request", async () => {
      const stack = await stackOf("getting-started", "dev", compiledProgram("getting-started"));
      const { failed, output } = await preview(stack);
      expect({ failed, output }).toEqual({ failed: false, output: expect.stringContaining("causeflow-guardrails") });
      expect(emulator.journal).toEqual([]);
    }, 300_000);

    describe("in a production stack, where its tenant is not protected", () => {
      let production: Stack;
      beforeAll(async () => {
        production = await stackOf("getting-started", "prod", compiledProgram("getting-started"));
      }, 120_000);

      it("fails the preview, naming the policy and the tenant, before any request", async () => {
        const { failed, output } = await preview(production);
        expect(failed).toBe(true);
        expect(output).toContain("causeflow-production-protected");
        expect(output).toContain('CauseFlow tenant "getting-started-prod"');
        expect(output).toContain("the resource option protect is not set");
        expect(emulator.journal).toEqual([]);
      }, 300_000);

      it("passes with that policy made advisory by --policy-pack-config, and still shows it", async () => {
        const { failed, output } = await preview(production, { "causeflow-production-protected": "advisory" });
        expect(failed).toBe(false);
        expect(output).toContain("causeflow-production-protected");
      }, 300_000);

      it("refuses a config file the pack's schemas do not allow, naming the policy", async () => {
        const { failed, output } = await preview(production, { "causeflow-allowed-plans": { allowedPlans: ["gold"] } });
        expect(failed).toBe(true);
        expect(output).toContain("causeflow-allowed-plans");
      }, 300_000);
    });
  });

  describe("on the fleet example", () => {
    it("passes its committed tenants with the pack's defaults", async () => {
      const stack = await stackOf("fleet", "dev", compiledProgram("fleet"));
      await stack.setConfig("fleetFile", { value: path.join(REPO_ROOT, "examples", "typescript", "fleet", "tenants.yaml") });
      const { failed, output } = await preview(stack);
      expect({ failed, output }).toEqual({ failed: false, output: expect.stringContaining("causeflow-guardrails") });
    }, 300_000);

    it("fails a fleet with an unprotected tenant and a slug off the convention in a production stack, naming both", async () => {
      const fleetFile = path.join(workspace.home, "tenants.yaml");
      writeFileSync(
        fleetFile,
        stringify({
          tenants: [
            { slug: "globex", name: "Globex", ownerEmail: "it@globex.example" },
            { slug: "initech-", name: "Initech", ownerEmail: "ops@initech.example", production: true },
          ],
        }),
      );
      const stack = await stackOf("fleet-bad", "prod", compiledProgram("fleet"));
      await stack.setConfig("fleetFile", { value: fleetFile });
      const { failed, output } = await preview(stack);
      expect(failed).toBe(true);
      expect(output).toMatch(/causeflow-production-protected[\s\S]*CauseFlow tenant "globex"/);
      expect(output).toMatch(/causeflow-slug-convention[\s\S]*"initech-"/);
      expect(emulator.journal).toEqual([]);
    }, 300_000);
  });
});
