/**
 * Jest's global setup: where the CLI journeys cannot run, one line saying which skip, and why,
 * rather than a count of skipped tests that explains nothing.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { cli, cliMissing } from "./pinnedCli";
import { REPO_ROOT } from "../repo";

export default function announceSkippedJourneys(): void {
  if (cli || process.env.CI === "true") return;
  const journeys = readdirSync(path.join(REPO_ROOT, "test", "e2e")).filter((file) => file.endsWith(".test.ts") && file !== "without-cli.test.ts");
  process.stderr.write(`CLI journeys skipped (${journeys.map((file) => path.basename(file, ".test.ts")).join(", ")}): ${cliMissing}\n`);
}
