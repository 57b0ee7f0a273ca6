/**
 * The process tree under a pid, and what its processes cost, read from /proc (Linux): for tests
 * that nothing outlives its job, and for the CLI benchmark's sampling.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The fields of /proc/<pid>/stat after the command's name (state first), which may hold spaces. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The parent of every live process, by pid. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      map.set(Number(entry), Number(statFields(entry)[1]));
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

export interface ProcessesCost {
  pids: number[];
  cpuSeconds: number;
  /** The highest peak resident memory (VmHWM) among them. */
  peakMiB: number;
  /** Bytes written through write(2) and the like (`wchar`): files, pipes and sockets alike. */
  wroteMiB: number;
}

/** Samples, every 100 ms, the CPU time, peak memory and bytes written of the processes below this one. */
export class ProcessSampler {
  readonly #seen = new Map<number, { command: string; cpuTicks: number; peakKiB: number; wroteBytes: number }>();
  readonly #timer = setInterval(() => this.sample(), 100);

  sample(): void {
    for (const pid of descendantsOf(process.pid)) {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
        // A process that has ended but not been collected has no command line left: keep its last sample.
        if (command === "") continue;
        const fields = statFields(pid);
        const cpuTicks = Number(fields[11]) + Number(fields[12]);
        const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        const wroteBytes = Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0);
        this.#seen.set(pid, { command, cpuTicks, peakKiB, wroteBytes });
      } catch {
        // ended while being read
      }
    }
  }

  /** The totals of the processes `which` picks by command line: CPU and bytes summed, memory the highest. */
  of(which: (command: string) => boolean): ProcessesCost {
    const matching = [...this.#seen].filter(([, process]) => which(process.command));
    return {
      pids: matching.map(([pid]) => pid),
      // Linux's clock ticks are 1/100 s.
      cpuSeconds: matching.reduce((sum, [, process]) => sum + process.cpuTicks, 0) / 100,
      peakMiB: Math.max(0, ...matching.map(([, process]) => process.peakKiB)) / 1024,
      wroteMiB: matching.reduce((sum, [, process]) => sum + process.wroteBytes, 0) / 2 ** 20,
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}
