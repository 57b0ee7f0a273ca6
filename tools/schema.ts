/**
 * `npm run schema`: writes the plugin's package schema to
 * provider/cmd/pulumi-resource-causeflow/schema.json, where reviewers see each change to what the
 * SDKs and docs are generated from. The plugin serves the same document from GetSchema; a unit
 * test fails when the committed file and the provider's schema differ.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { packageSchema } from "../provider/plugin/packageSchema";
import { VERSION } from "../provider/packageInfo";
import { PACKAGE_ROOT } from "./packageRoot";

export const SCHEMA_FILE = path.join("provider", "cmd", "pulumi-resource-causeflow", "schema.json");

/** The schema as committed: two-space JSON and a final newline. */
export function schemaText(): string {
  return `${JSON.stringify(packageSchema(VERSION), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(path.join(PACKAGE_ROOT, SCHEMA_FILE), schemaText());
  console.log(`schema: wrote ${SCHEMA_FILE} (causeflow ${VERSION})`);
}
