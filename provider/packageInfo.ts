/**
 * Facts of the package.json the provider was built and shipped with, read by the package's own
 * name so that the sources, `dist/` and an installed copy each report their own.
 */
const manifest = require("@causeflow/pulumi/package.json") as { version: string; repository: { url: string } };

export const VERSION: string = manifest.version;
/** The repository's web address, from package.json's git URL (`git+https://….git`). */
export const REPOSITORY_URL: string = manifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
/** The repository on GitHub, as `<owner>/<name>`. */
const GITHUB_REPOSITORY = REPOSITORY_URL.replace(/^https:\/\/github\.com\//, "");
/**
 * Where the Pulumi CLI downloads the plugin by default: this repository's GitHub releases, in
 * Pulumi's `github://api.github.com/<owner>/<repo>` form. A build for a mirror gives its own
 * (`npm run sdks -- --plugin-download-url <url>`).
 */
export const PLUGIN_DOWNLOAD_URL = `github://api.github.com/${GITHUB_REPOSITORY}`;
/** The package's logo, as the Pulumi Registry shows it: docs/logo.png on the main branch (a PNG: NuGet takes no SVG). */
export const LOGO_URL = `https://raw.githubusercontent.com/${GITHUB_REPOSITORY}/main/docs/logo.png`;
