export const CODECS = ['lz4', 'zstd', 'gzip'] as const;
export type Compression = (typeof CODECS)[number];

export interface PeerResult {
  peer: string;
  compression: Compression;
  lines: number;
  wallS: number;
  cpuS: number;
  linesPerS: number;
  cpuSPerMillion: number;
  peakRssMiB: number;
}

export interface EdgeBenchReport {
  date: string;
  machine: string;
  quick: boolean;
  customers: number;
  lines: number;
  avgLineBytes: number;
  lingerMs: number;
  /** With --baseline: how many alternating rounds of this edge producer and the baseline. */
  baselineRounds?: number;
  results: PeerResult[];
}

export const EDGE_TARGETS = { linesPerS: 300_000, cpuSPerMillion: 4 };

/** One peer's figures from its wall time, CPU time and peak RSS. */
export function measured(
  peer: string,
  compression: Compression,
  lines: number,
  m: { wallS: number; cpuS: number; peakRssBytes: number },
): PeerResult {
  return {
    peer,
    compression,
    lines,
    wallS: Math.round(m.wallS * 100) / 100,
    cpuS: Math.round(m.cpuS * 100) / 100,
    linesPerS: Math.round(lines / m.wallS),
    cpuSPerMillion: Math.round(((m.cpuS * 1e6) / lines) * 100) / 100,
    peakRssMiB: Math.round(m.peakRssBytes / 2 ** 20),
  };
}

/** The peer name of the edge producer built from another commit (`--baseline`). */
export const BASELINE_PEER = 'baseline edge producer';
/**
 * This edge producer with the baseline's queue bounds, measured against it: the comparison is of
 * the code, not of the default queue size (the memory budget now bounds it, and a 2,000,000-line
 * burst fills a small queue and waits).
 */
export const AGAINST_BASELINE_PEER = 'edge producer, queue bounds of the baseline';
/** How far this edge producer may fall behind its baseline before the report calls it a regression. */
export const REGRESSION_TOLERANCE = 0.05;

/**
 * One figure of several runs of the same peer and codec: the median wall and CPU time (each on
 * its own), the highest peak RSS. A shared machine's noise moves single runs by ~10%.
 */
export function medianResult(runs: readonly PeerResult[]): PeerResult {
  if (runs.length === 0) throw new Error('medianResult of no runs');
  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const [first] = runs;
  return measured(first.peer, first.compression, first.lines, {
    wallS: median(runs.map((r) => r.wallS)),
    cpuS: median(runs.map((r) => r.cpuS)),
    peakRssBytes: Math.max(...runs.map((r) => r.peakRssMiB)) * 2 ** 20,
  });
}

export function isEdgePeer(r: PeerResult): boolean {
  return r.peer.startsWith('edge producer');
}

/** The table rows of the peers, one per peer and codec, in run order. */
export function peerTable(results: readonly PeerResult[]): string[] {
  return [
    '| peer | codec | lines/s | CPU-s per million lines | peak RSS | wall time |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.peer} | ${r.compression} | ${r.linesPerS.toLocaleString('en')} | ${r.cpuSPerMillion} | ${r.peakRssMiB} MiB | ${r.wallS} s |`,
    ),
  ];
}

/** Whether the edge producer met the issue's targets with lz4 (undefined: not measured). */
export function edgeTargetLine(results: readonly PeerResult[]): string {
  const lz4 = results.find((r) => isEdgePeer(r) && r.compression === 'lz4');
  if (!lz4) return 'Targets (lz4): not measured.';
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return `Targets (edge producer, lz4): at least ${EDGE_TARGETS.linesPerS.toLocaleString('en')} lines/s — ${met(lz4.linesPerS >= EDGE_TARGETS.linesPerS)}; at most ${EDGE_TARGETS.cpuSPerMillion} CPU-s per million lines — ${met(lz4.cpuSPerMillion <= EDGE_TARGETS.cpuSPerMillion)}.`;
}

/**
 * This edge producer against the baseline build, per codec: throughput and CPU per line as
 * ratios, and whether both stay within the tolerance. Empty without a baseline.
 */
export function baselineLines(results: readonly PeerResult[], rounds = 1): string[] {
  const lines: string[] = [];
  for (const codec of CODECS) {
    const now = results.find((r) => r.peer === AGAINST_BASELINE_PEER && r.compression === codec);
    const base = results.find((r) => r.peer.startsWith(BASELINE_PEER) && r.compression === codec);
    if (!now || !base) continue;
    const speed = now.linesPerS / base.linesPerS;
    const cpu = now.cpuSPerMillion / base.cpuSPerMillion;
    const within = speed >= 1 - REGRESSION_TOLERANCE && cpu <= 1 + REGRESSION_TOLERANCE;
    const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
    lines.push(
      `- ${codec}: lines/s ${pct(speed)}, CPU-s per million lines ${pct(cpu)} against ${base.peer}: ${within ? 'no regression' : 'REGRESSION'} (tolerance ${REGRESSION_TOLERANCE * 100}%)`,
    );
  }
  return lines.length > 0
    ? [
        '',
        `Against the baseline, same run${rounds > 1 ? `, medians of ${rounds} rounds in alternating order` : ''}:`,
        '',
        ...lines,
      ]
    : [];
}

export function edgeMarkdown(r: EdgeBenchReport): string {
  return [
    '# Edge producer benchmark',
    '',
    `Run ${r.date} on ${r.machine}${r.quick ? ' (quick smoke run: small sizes)' : ''}; one local Kafka 3.9.1 broker on the same machine (it shares the cores).`,
    `${r.lines.toLocaleString('en')} lines of ~${r.avgLineBytes} bytes, ${r.customers.toLocaleString('en')} customers (Zipf 1.1), linger ${r.lingerMs} ms, idempotent, acks=all, for each codec.`,
    '',
    ...peerTable(r.results),
    '',
    edgeTargetLine(r.results),
    ...baselineLines(r.results, r.baselineRounds),
    '',
    ...EDGE_NOTES,
    '',
  ].join('\n');
}

export const EDGE_NOTES = [
  '- Before the first peer, two unmeasured passes of the whole input through the edge producer warm the freshly started broker up: its first few million lines over 1,000 new partitions are acknowledged up to 4 times slower, and the first peers would pay for it.',
  '- **edge producer**: stdin → routing per line (registry, id checks) → one topic per customer; GNU time around the process (start-up, registry catch-up and the final flush included).',
  '- **kcat -P, one topic**: the same line bodies to one topic, no routing: what librdkafka alone costs (the C floor). GNU time.',
  '- **rsyslog omkafka, dynamic topics**: rsyslogd (Debian `rsyslog-kafka`) in the foreground, imfile reading the same input from its start, the id split off at the first space in RainerScript, omkafka `dynaTopic` to `cdn-logs.<id>`, same librdkafka settings. Wall time from its start until the topics hold every line (sum of high watermarks, polled every 200 ms); CPU (user + system, all threads) and peak RSS from `/proc/<pid>` then. It checks no ids and follows no registry.',
];
