/** The process tree under a pid, read from /proc (Linux): for tests that nothing outlives its job, and for the CLI benchmark's sampling. */
import { readdirSync, readFileSync } from "node:fs";

/** The parent of every live process, by pid. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended while being read
    }
  }
  return map;
}

/** Every live process below `root`, its children and theirs. */
export function descendantsOf(root: number): number[] {
  const byParent = parents();
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of byParent) {
      if (parent === pid) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}
