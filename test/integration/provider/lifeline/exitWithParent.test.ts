/**
 * Nothing outlives its parent: a provider host started as the tests and the benchmark start one,
 * and the emulator's command line, each end when the process that started them is killed.
 */
import * as path from "node:path";
import { REPO_ROOT } from "../../../support/repo";
import { commandOf, descendantsOf, itOnLinux, killAll, startUntil, survivorsAfter } from "../../../support/processes";

const built = (file: string) => JSON.stringify(path.join(REPO_ROOT, "dist", file));

/** Runs `script` in a node process, waits for its "ready", SIGKILLs it, and returns what it had started and is still running. */
async function survivorsOfKilled(script: string, started: RegExp): Promise<string[]> {
  const { child } = await startUntil(process.execPath, ["-e", script], /^ready/, { cwd: REPO_ROOT });
  const tree = descendantsOf(child.pid!);
  try {
    expect(tree.map(commandOf)).toEqual(expect.arrayContaining([expect.stringMatching(started)]));
    child.kill("SIGKILL");
    return await survivorsAfter(tree, 5_000);
  } finally {
    killAll(tree);
  }
}

itOnLinux("ends a provider host whose starter was killed", async () => {
  const script = `require(${built("tools/engine-model/host.js")}).ProviderHost.start({ cwd: ${JSON.stringify(REPO_ROOT)} }).then(() => console.log("ready"));`;
  expect(await survivorsOfKilled(script, /dynamic-provider/)).toEqual([]);
});

itOnLinux("ends the emulator's command line whose starter was killed", async () => {
  const script =
    `const child = require("node:child_process").spawn(process.execPath, [${built("tools/emulator/cli.js")}, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });` +
    `child.stdout.on("data", (data) => { if (/listening/.test(String(data))) console.log("ready"); });`;
  expect(await survivorsOfKilled(script, /emulator\/cli\.js/)).toEqual([]);
});
