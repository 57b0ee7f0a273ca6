/**
 * The Pulumi CLI for the journeys (tools/pinnedCli.ts), and `describe` that skips or, in CI, fails
 * without it. Kept apart from workspace.ts so that jest's global setup loads nothing heavier.
 */
import { locateCli } from "../../../tools/pinnedCli";

/** The harnesses the journeys run programs through: a Python runner, a Go program template. */
export const CLI_SUPPORT = __dirname;

export const { cli, missing: cliMissing } = locateCli();

/** `describe` with the CLI; without it `describe.skip` (jest's global setup has said why), or, in CI, a failure. */
export function describeWithCli(): jest.Describe {
  if (cli) return describe;
  if (process.env.CI === "true") throw new Error(`CI runs the CLI journeys, but ${cliMissing}`);
  return describe.skip;
}
