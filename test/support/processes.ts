/**
 * The process tree under a pid, read from /proc, for tests proving that nothing a job starts
 * outlives it. Linux only: `itOnLinux` skips such a test elsewhere, and says so.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { descendantsOf } from "../../tools/processTree";

export { descendantsOf };

/** `it` on Linux, where /proc shows the process tree (and the lifeline watches npm through it); `it.skip` elsewhere, saying why once. */
export const itOnLinux: jest.It = process.platform === "linux" ? it : it.skip;
if (process.platform !== "linux") process.stderr.write(`process-tree tests skipped: /proc is Linux's, and this is ${process.platform}\n`);

/** The processes below `root` once one of them runs a command matching `pattern`. */
export async function descendantsOnceRunning(root: number, pattern: RegExp, timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tree = descendantsOf(root);
    if (tree.some((pid) => pattern.test(commandOf(pid)))) return tree;
    if (Date.now() > deadline) throw new Error(`nothing below ${root} ran ${pattern} within ${timeoutMs} ms: ${tree.map(commandOf).join("; ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

function isRunning(pid: number): boolean {
  try {
    // A zombie has ended; only its parent has not collected it yet.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Waits until every one of `pids` has ended; resolves with those still running after `timeoutMs`. */
export async function survivorsAfter(pids: number[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0 || Date.now() > deadline) return running.map((pid) => `${pid} ${commandOf(pid)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills whatever is left, so that a failing test does not leak processes either. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/**
 * Starts a command and resolves once a line it prints (stdout or stderr) matches `ready`, with the lines it has
 * printed so far and goes on printing (its descendants' too, since they share its pipes).
 */
export async function startUntil(
  command: string,
  args: string[],
  ready: RegExp,
  options: { cwd: string; timeoutMs?: number; /** In a process group of its own, as a terminal runs a job. */ detached?: boolean },
): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], detached: options.detached });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(" ")} printed nothing matching ${ready} in time:\n${output.join("\n")}`)), options.timeoutMs ?? 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited with ${code} before it was ready:\n${output.join("\n")}`));
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        if (!ready.test(line)) return;
        clearTimeout(timer);
        resolve();
      });
    }
  });
  return { child, output };
}
