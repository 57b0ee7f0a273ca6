/**
 * Journey 4: the Go sample of docs/_index.md, with the plugin's committed Go SDK (sdk/go) and the
 * Pulumi Go SDK pinned beside the CLI, through the real Pulumi CLI against the emulator
 * (docSampleJourney.ts). The program runs through Pulumi's Go Automation API (go/main.go.tmpl says
 * why): the body of the sample's `pulumi.Run` becomes the harness's program, whose imports are the
 * sample's.
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../tools/emulator/server";
import { CliWorkspace, describeWithCli, docSample } from "../support/cli/workspace";
import { itRunsTheDocSample } from "../support/cli/docSampleJourney";
import { GoHarness, programBody } from "../support/cli/goHarness";

describeWithCli()("the overview's Go sample with the plugin's SDK, through the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let workspace: CliWorkspace;
  let harness: GoHarness;

  beforeAll(async () => {
    emulator = await startEmulator();
    workspace = new CliWorkspace("cf-cli-go-");
    harness = await GoHarness.create(path.join(workspace.home, "program"), workspace.committedSdk("go"));
  }, 600_000);
  afterAll(async () => {
    workspace?.close();
    await emulator?.close();
  });

  /** The sample's program body, with the edits made so far. */
  let sample = programBody(docSample("docs/_index.md", "go", "// Go"));
  itRunsTheDocSample("go", () => ({
    emulator,
    run: async (operation) => {
      await harness.build(sample);
      return workspace.runHarness(harness.executable, [operation], "go-causeflow", emulator);
    },
    rename: async () => void (sample = sample.replace('pulumi.String("Acme Corp")', 'pulumi.String("Acme Corporation")')),
    addImported: async (slug, id) =>
      void (sample += `
_, err = causeflow.NewTenant(ctx, "legacy", &causeflow.TenantArgs{
	Name: pulumi.String("Legacy Inc"), Slug: pulumi.String("${slug}"),
	OwnerEmail: pulumi.String("it@legacy.example"), Plan: causeflow.PlanBusiness,
}, pulumi.Import(pulumi.ID("${id}")))
if err != nil {
	return err
}
`),
  }));
});
