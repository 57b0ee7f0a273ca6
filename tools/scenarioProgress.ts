/**
 * A jest reporter for `npm run scenarios`: a line on stderr as each scenario file starts and as
 * each test ends, with the time elapsed, since jest itself prints a file's results only once the
 * whole file has run (minutes at full size).
 */
import * as path from "node:path";

interface TestCaseResult {
  status: string;
  fullName: string;
  duration?: number | null;
}

export default class ScenarioProgress {
  readonly #started = Date.now();

  onTestFileStart(test: { path: string }): void {
    this.#say(`${path.basename(test.path)} started`);
  }

  onTestCaseResult(_test: unknown, result: TestCaseResult): void {
    const seconds = result.duration ? ` in ${Math.round(result.duration / 1000)} s` : "";
    this.#say(`${result.status}${seconds}: ${result.fullName}`);
  }

  #say(line: string): void {
    process.stderr.write(`scenarios [${Math.round((Date.now() - this.#started) / 1000)} s]: ${line}\n`);
  }
}
