/**
 * Ends this process when the process that started it is gone, however that one ended (SIGKILL
 * included), so that no provider host, plugin or emulator outlives the engine, test, benchmark or
 * job that started it. A parent's death is seen as this process being handed to another parent.
 */
import { readFileSync } from "node:fs";

const SHELLS = new Set(["sh", "dash", "bash", "zsh"]);

const CHECK_EVERY_MS = 500;

/** Exits with code 1 within half a second of the parent's death. The timer never keeps the process alive by itself. */
export function exitWithParent(): void {
  const parent = process.ppid;
  const watched = watchedAncestors(parent);
  setInterval(() => {
    if (process.ppid !== parent || !watched.every(isAlive)) process.exit(1);
  }, CHECK_EVERY_MS).unref();
}

/**
 * The parent, and the process behind it when the parent is a shell: npm runs scripts through
 * `sh -c`, and a shell whose npm was killed carries on, so the job must watch npm itself.
 * Where /proc cannot be read (not Linux), the parent alone.
 */
function watchedAncestors(parent: number): number[] {
  try {
    const command = readFileSync(`/proc/${parent}/comm`, "utf8").trim();
    if (!SHELLS.has(command)) return [parent];
    // Fields after the command name, which may hold spaces and ends at the last ")": state, ppid, ...
    const stat = readFileSync(`/proc/${parent}/stat`, "utf8");
    const grandparent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return grandparent > 1 ? [parent, grandparent] : [parent];
  } catch {
    return [parent];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
