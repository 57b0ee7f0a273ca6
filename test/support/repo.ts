import * as path from "node:path";

/** The repository's root, whatever test file asks. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Files the tests read: a 0.1.0 stack's provider text, Pulumi's package metaschema, contract excerpts. */
export const FIXTURES = path.join(__dirname, "fixtures");
