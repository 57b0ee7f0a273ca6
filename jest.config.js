/**
 * Three layers, each a jest project (`npx jest --selectProjects unit`):
 * - unit: one process, no network, no child process; pure decisions, rules and documents.
 * - integration: the real parts over loopback: the emulator over HTTP, both hosts over gRPC, the engine model.
 * - e2e: the real Pulumi CLI (tools/pulumi), through the journeys a user takes.
 */
const layer = (name) => ({
  displayName: name,
  testEnvironment: "node",
  roots: [`<rootDir>/test/${name}`],
  testMatch: ["**/*.test.ts"],
  // Type checking is `npm run typecheck`; here TypeScript is only transpiled.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
});

/** @type {import('jest').Config} */
module.exports = {
  projects: ["unit", "integration", "e2e"].map(layer),
  testTimeout: 30000,
  // Says once which journeys through the real Pulumi CLI skip, and why, where there is none.
  globalSetup: "<rootDir>/test/support/cli/globalSetup.ts",
};
