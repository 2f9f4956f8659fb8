import { percentile } from '../support/bench-report';

export interface LatencyProfile {
  name: string;
  /** The edge producer's --linger-ms. */
  lingerMs: number;
  /** The consumer's fetch.wait.max.ms (librdkafka's default is 500). */
  fetchWaitMaxMs: number;
  targetP99Ms: number;
}

export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface LatencyProfileResult extends LatencyProfile, LatencyFigures {
  /** Lines whose edge time fell in the measured window, each timed once at the consumer. */
  measuredLines: number;
  /** Every line the topics held at the end, and how many of them the consumer received. */
  producedLines: number;
  consumedLines: number;
}

export interface LatencyBenchReport {
  date: string;
  machine: string;
  quick: boolean;
  customers: number;
  ratePerSecond: number;
  warmUpSeconds: number;
  measureSeconds: number;
  profiles: LatencyProfileResult[];
}

/** Percentiles of latencies in ms, rounded to 0.1 ms. */
export function latencyFigures(samplesMs: readonly number[]): LatencyFigures {
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    p50Ms: round(percentile(samplesMs, 50)),
    p99Ms: round(percentile(samplesMs, 99)),
    p999Ms: round(percentile(samplesMs, 99.9)),
    maxMs: round(percentile(samplesMs, 100)),
  };
}

export function targetMet(r: LatencyProfileResult): boolean {
  return r.measuredLines > 0 && r.p99Ms < r.targetP99Ms;
}

export function latencyTable(profiles: readonly LatencyProfileResult[]): string[] {
  return [
    '| profile | edge linger | consumer fetch.wait.max.ms | lines measured | p50 | p99 | p99.9 | max | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...profiles.map(
      (p) =>
        `| ${p.name} | ${p.lingerMs} ms | ${p.fetchWaitMaxMs} | ${p.measuredLines.toLocaleString('en')} | ${p.p50Ms} ms | ${p.p99Ms} ms | ${p.p999Ms} ms | ${p.maxMs} ms | p99 < ${p.targetP99Ms} ms: ${targetMet(p) ? 'met' : 'NOT met'} |`,
    ),
  ];
}

export function latencyMarkdown(r: LatencyBenchReport): string {
  const lost = r.profiles.filter((p) => p.consumedLines !== p.producedLines);
  return [
    '# End-to-end latency benchmark',
    '',
    `Run ${r.date} on ${r.machine}${r.quick ? ' (quick smoke run: small sizes)' : ''}; one local Kafka 3.9.1 broker on the same machine.`,
    `The traffic generator writes ${r.ratePerSecond.toLocaleString('en')} lines/s (Zipf over ${r.customers} customers) into the real edge producer's stdin; a node-rdkafka consumer reads every customer topic. Latency = consumer's clock on arrival − the edge time in ms that ends each line. ${r.warmUpSeconds} s of warm-up after the first line arrives, then ${r.measureSeconds} s measured.`,
    '',
    ...latencyTable(r.profiles),
    '',
    lost.length === 0
      ? 'Every line the topics held was consumed.'
      : `Lines missing at the consumer: ${lost.map((p) => `${p.name} ${p.producedLines - p.consumedLines}`).join(', ')}.`,
    '',
  ].join('\n');
}
