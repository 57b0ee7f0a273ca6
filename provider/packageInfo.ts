/**
 * Facts of the package.json the provider was built and shipped with, read by the package's own
 * name so that the sources, `dist/` and an installed copy each report their own.
 */
const manifest = require("@causeflow/pulumi/package.json") as { version: string; repository: { url: string } };

export const VERSION: string = manifest.version;
/** The repository's web address, from package.json's git URL (`git+https://….git`). */
export const REPOSITORY_URL: string = manifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
