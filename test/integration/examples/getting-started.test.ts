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
      inputs: { name: "Getting Started", slug: "getting-started-dev", ownerEmail: "owner@example.com", settings: { awsRegion: "us-east-1" } },
    });
  });
});
