import { runProgram } from "../../../tools/engine-model/program";

describe("the root program (examples/typescript/getting-started)", () => {
  it("creates one tenant named after the stack, with defaults a new user can run as is", async () => {
    const registrations = await runProgram(
      () => {
        require("../../../examples/typescript/getting-started/index");
      },
      { project: "causeflow-getting-started", stack: "dev", config: {} },
    );
    expect(registrations).toHaveLength(1);
    expect(registrations[0]).toMatchObject({
      type: "pulumi-nodejs:dynamic/causeflow:Tenant",
      name: "getting-started",
      inputs: { name: "Getting Started", slug: "getting-started-dev", ownerEmail: "owner@example.com" },
    });
    expect(registrations[0].inputs.settings).toBeUndefined();
  });

  it("links the tenant to AWS only with a role, its external ID as a secret, and a region, all from config", async () => {
    const registrations = await runProgram(
      () => {
        jest.isolateModules(() => require("../../../examples/typescript/getting-started/index"));
      },
      {
        project: "causeflow-getting-started",
        stack: "dev",
        config: { "causeflow-getting-started:awsRoleArn": "arn:aws:iam::123456789012:role/CauseFlow", "causeflow-getting-started:awsExternalId": "ext-id-from-config" },
      },
    );
    expect(registrations[0].inputs.settings).toEqual({ awsRoleArn: "arn:aws:iam::123456789012:role/CauseFlow", awsExternalId: "ext-id-from-config", awsRegion: "us-east-1" });
    expect(registrations[0].secretPaths).toContain("settings.awsExternalId");
  });
});
