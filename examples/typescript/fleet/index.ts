/**
 * The program of a stack holding the whole fleet: the tenants of `fleetFile` (tenants.yaml unless
 * configured), declared by program.ts. Pulumi calls the exported function and makes what it
 * returns the stack outputs. For a fleet split across stacks, see stacks.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareFleet } from "./program";

export = function main() {
  // Relative to the project folder, where Pulumi runs the program.
  return declareFleet(new pulumi.Config().get("fleetFile") ?? "tenants.yaml");
};
