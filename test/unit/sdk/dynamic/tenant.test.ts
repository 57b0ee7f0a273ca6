import * as pulumi from "@pulumi/pulumi";
import * as causeflow from "@causeflow/pulumi";
import { runProgram } from "../../../../tools/engine-model/program";
import { REPO_ROOT } from "../../../support/repo";

const args: causeflow.TenantArgs = { name: "Acme Corp", slug: "acme-corp", ownerEmail: "owner@acme.com" };

describe("causeflow.Tenant", () => {
  it("registers as pulumi-nodejs:dynamic/causeflow:Tenant with its inputs and a __provider", async () => {
    const [tenant] = await runProgram(() => [new causeflow.Tenant("acme", { ...args, settings: { awsRegion: "us-east-1" } })]);
    expect(tenant.type).toBe("pulumi-nodejs:dynamic/causeflow:Tenant");
    expect(tenant.inputs).toMatchObject({ ...args, settings: { awsRegion: "us-east-1" }, __provider: expect.any(String) });
  });

  it("stores a __provider that loads the installed package, with no machine path and no credential", async () => {
    const token = "super-secret-token-in-config";
    process.env.CAUSEFLOW_API_TOKEN = token;
    try {
      const [tenant] = await runProgram(() => [new causeflow.Tenant("acme", args)], { config: { "causeflow:apiToken": token } });
      const text = tenant.inputs.__provider as string;
      expect(text).toContain('require("@causeflow/pulumi/provider")');
      expect(text).not.toContain(token);
      expect(text).not.toContain(REPO_ROOT);
      // A shim, not a copy of the provider: none of its code or dependencies.
      expect(text).not.toMatch(/undici|zod|checkTenant|fetch/);
    } finally {
      delete process.env.CAUSEFLOW_API_TOKEN;
    }
  });

  it("declares every output, so a preview shows them as unknown", async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: undefined, state: a.inputs }), call: (a) => a.inputs }, "p", "s", true);
    const tenant = new causeflow.Tenant("acme", args);
    for (const output of ["tenantId", "status", "createdAt", "plan", "settings"] as const) {
      expect(pulumi.Output.isInstance(tenant[output])).toBe(true);
    }
    const known = await new Promise((resolve) => (tenant.tenantId as any).isKnown.then(resolve));
    expect(known).toBe(false);
  });

  it("resolves outputs from what the provider returned", async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: "ten_1", state: { ...a.inputs, tenantId: "ten_1", status: "active" } }), call: (a) => a.inputs }, "p", "s", false);
    const tenant = new causeflow.Tenant("acme", args);
    await expect(new Promise((resolve) => tenant.status.apply(resolve))).resolves.toBe("active");
    await expect(new Promise((resolve) => tenant.tenantId.apply(resolve))).resolves.toBe("ten_1");
  });

  it.each(["name", "slug", "ownerEmail"] as const)("refuses to construct without %s, naming it", (key) => {
    const { [key]: _, ...rest } = args;
    expect(() => new causeflow.Tenant("acme", rest as causeflow.TenantArgs)).toThrow(`causeflow.Tenant "acme": missing required input '${key}'`);
  });

  it("marks the external id secret even when the program passes it in clear text", async () => {
    const [plain] = await runProgram(() => [new causeflow.Tenant("acme", { ...args, settings: { awsExternalId: "ext-123", awsRegion: "us-east-1" } })]);
    expect(plain.secretPaths).toEqual(["settings.awsExternalId"]);
    const [whole] = await runProgram(() => [new causeflow.Tenant("acme", { ...args, settings: pulumi.output({ awsExternalId: "ext-123" }) })]);
    expect(whole.secretPaths).toEqual(["settings.awsExternalId"]);
    const [none] = await runProgram(() => [new causeflow.Tenant("acme", { ...args, settings: { awsRegion: "us-east-1" } })]);
    expect(none.secretPaths).toEqual([]);
  });

  it("reports a secret external id as secret to the engine", async () => {
    const [tenant] = await runProgram(() => [new causeflow.Tenant("acme", { ...args, settings: { awsExternalId: pulumi.secret("ext-123") } })]);
    expect(tenant.secretPaths.some((p) => p === "settings" || p === "settings.awsExternalId")).toBe(true);
  });
});
