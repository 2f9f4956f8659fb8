/** The statistics benchmark's figures and their Markdown (also used by the combined report). */
export interface StatsBenchReport {
  date: string;
  machine: string;
  quick: boolean;
  throughput: {
    lines: number;
    seconds: number;
    linesPerSecond: number;
    /** Lines per second of this process's own CPU time: what one core does when it is not shared. */
    linesPerCpuSecond: number;
    cpuSecondsPerMillion: number;
    avgLineBytes: number;
  };
  delay: {
    windows: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    latenessMs: number;
    flushMs: number;
  };
}

export function statsMarkdown(r: StatsBenchReport): string {
  const t = r.throughput;
  const d = r.delay;
  return [
    '# Statistics (aggregator)',
    '',
    `\`npm run bench:stats${r.quick ? ' -- --quick' : ''}\`, ${r.date}, on ${r.machine}.`,
    '',
    `Parse + aggregate on one core: ${t.lines.toLocaleString('en')} lines of ~${t.avgLineBytes} bytes in ${t.seconds} s: ${t.linesPerSecond.toLocaleString('en')} lines/s of wall time on the shared machine; **${t.cpuSecondsPerMillion} CPU-s per million lines = ${t.linesPerCpuSecond.toLocaleString('en')} lines per CPU-second** (target >= 300,000 lines/s on one core: ${t.linesPerCpuSecond >= 300_000 ? 'met' : 'NOT met'}).`,
    '',
    `Window end to its final record in cdn-stats.<id> (lateness ${d.latenessMs} ms, flush every ${d.flushMs} ms, ${d.windows} windows): p50 ${Math.round(d.p50Ms)} ms, p99 ${Math.round(d.p99Ms)} ms, max ${Math.round(d.maxMs)} ms.`,
    '',
  ].join('\n');
}
