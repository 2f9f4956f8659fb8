/** bench:archive figures and their markdown (also a section of the combined report). */
export interface ThroughputRow {
  /** `archiver gzip`, `archiver zstd`, `kcat -C | gzip`. */
  name: string;
  lines: number;
  seconds: number;
  linesPerSecond: number;
  cpuSeconds: number;
  cpuSecondsPerMillionLines: number;
  /** Compressed bytes written. */
  outputBytes: number;
}

export interface ArchiveBenchReport {
  date: string;
  machine: string;
  quick: boolean;
  lines: number;
  avgLineBytes: number;
  partitions: number;
  throughput: ThroughputRow[];
  latency: {
    flushIntervalSeconds: number;
    ratePerSecond: number;
    seconds: number;
    lines: number;
    objects: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
  };
}

const n = (v: number, digits = 0) =>
  v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function archiveTables(r: ArchiveBenchReport): string[] {
  const l = r.latency;
  return [
    `${n(r.lines)} lines of ~${r.avgLineBytes} bytes in ${r.partitions} partitions, already in Kafka (a backfill at full speed), into s3proxy on the same machine; CPU is the archiver process's (or kcat + gzip's) user + system time.`,
    '',
    '| pipeline | lines/s | CPU-s per million lines | seconds | output MiB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.throughput.map(
      (t) =>
        `| ${t.name} | ${n(t.linesPerSecond)} | ${n(t.cpuSecondsPerMillionLines, 2)} | ${n(t.seconds, 1)} | ${n(t.outputBytes / 2 ** 20, 1)} |`,
    ),
    '',
    `Delay from a line's arrival in Kafka (its timestamp) to its object being listed in the bucket, flush interval ${l.flushIntervalSeconds} s, ${n(l.ratePerSecond)} lines/s for ${l.seconds} s (${n(l.lines)} lines, ${l.objects} objects):`,
    '',
    '| p50 | p99 | max |',
    '| ---: | ---: | ---: |',
    `| ${n(l.p50Ms / 1000, 1)} s | ${n(l.p99Ms / 1000, 1)} s | ${n(l.maxMs / 1000, 1)} s |`,
    '',
    'With a time-based flush the delay is spread evenly between the upload time and the interval: a line arriving just after a buffer opened waits almost the whole interval, one arriving just before the cut almost nothing.',
    '',
  ];
}

export function archiveMarkdown(r: ArchiveBenchReport): string {
  return [
    '# bench:archive',
    '',
    `${r.date}, ${r.machine}${r.quick ? ' (**quick run**: small sizes)' : ''}`,
    '',
    ...archiveTables(r),
  ].join('\n');
}
