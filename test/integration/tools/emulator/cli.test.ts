/** The built `npm run emulator` command (run `npm run build` first): how it reports what stops it. */
import { execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";

const CLI = path.join(__dirname, "../../../../dist/tools/emulator/cli.js");
const running = new Set<ChildProcess>();
let blocker: Server | undefined;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
});
afterEach(() => {
  for (const child of running) child.kill();
  running.clear();
  blocker?.close();
  blocker = undefined;
});

/** Runs the CLI to its exit; one that starts serving instead is stopped by the timeout. */
function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { timeout: 10_000 }, (_, __, stderr) => {
      running.delete(child);
      resolve({ code: child.exitCode, stderr });
    });
    running.add(child);
  });
}

const lines = (text: string) => text.trim().split("\n");

it("names the address in use and says to pick another port, without the usage", async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", resolve));
  const { port } = blocker.address() as { port: number };
  const { code, stderr } = await runCli(["--port", String(port)]);
  expect(code).toBe(1);
  expect(lines(stderr)).toEqual([`emulator: 127.0.0.1:${port} is already in use; pick another port with --port`]);
});

it.each([
  ["not JSON", (file: string) => writeFileSync(file, "{not json"), "is not valid JSON"],
  ["a directory", (file: string) => mkdirSync(file), "cannot read state file"],
  ["not a list", (file: string) => writeFileSync(file, "{}"), "does not hold a list of tenants"],
])("names a state file that is %s in one line, without the usage", async (_, make, problem) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "cf-emu-cli-")), "tenants.json");
  make(file);
  const { code, stderr } = await runCli(["--port", "0", "--state", file]);
  expect(code).toBe(1);
  expect(lines(stderr)).toHaveLength(1);
  expect(stderr).toContain(file);
  expect(stderr).toContain(problem);
});

const argumentErrors = [[["--port", "abc"]], [["--colour"]], [["--fault", "colour=red"]]];
it.each(argumentErrors)("shows the usage for the argument error %j", async (args) => {
  const { code, stderr } = await runCli(args);
  expect(code).toBe(1);
  expect(stderr).toContain("Usage: causeflow-emulator");
});
