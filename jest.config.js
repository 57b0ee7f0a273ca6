/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `npm run typecheck`; here TypeScript is only transpiled.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 30000,
  // Says once which journeys through the real Pulumi CLI skip, and why, where there is none.
  globalSetup: "<rootDir>/test/cli/globalSetup.ts",
};
