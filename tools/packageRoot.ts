import * as path from "node:path";

/** The repository (the package's root), whether a tool runs from its sources (ts-jest) or from dist/. */
export const PACKAGE_ROOT = path.dirname(require.resolve("@causeflow/pulumi/package.json"));
