// Pulumi runs this file (`main` in Pulumi.yaml). The program is index.ts, compiled by
// `npm run build` at the repository root; Pulumi only accepts a `main` inside the project folder.
module.exports = require("../../dist/examples/fleet/index.js");
