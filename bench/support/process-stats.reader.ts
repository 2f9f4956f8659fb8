import { readFile } from 'node:fs/promises';
import { run } from '../../test/support/process';

/** Kernel clock ticks per second, the unit of the CPU times in /proc/<pid>/stat and /proc/stat. */
export async function clockTicksPerSecond(): Promise<number> {
  const res = await run('getconf', ['CLK_TCK']).catch(() => undefined);
  const ticks = Number(res?.stdout.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** User + system CPU seconds a process has used so far. */
export async function processCpuSeconds(pid: number, ticksPerSecond: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, so 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

export interface MemoryFigures {
  /** Resident set size now. */
  rssBytes: number;
  /** The largest resident set size the process has had (VmHWM). */
  peakRssBytes: number;
}

export async function processMemory(pid: number): Promise<MemoryFigures> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(m[1]) * 1024;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

export interface MachineCpu {
  busyTicks: number;
  totalTicks: number;
}

/** Machine-wide CPU ticks (all cores) from the first line of /proc/stat. */
export async function machineCpu(): Promise<MachineCpu> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = first
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}

/** Share of all cores that were busy between two readings, 0..1. */
export function busyShare(before: MachineCpu, after: MachineCpu): number {
  const total = after.totalTicks - before.totalTicks;
  return total > 0 ? (after.busyTicks - before.busyTicks) / total : 0;
}
