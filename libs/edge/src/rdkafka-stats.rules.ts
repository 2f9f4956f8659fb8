/** The figures the edge producer reports from librdkafka's statistics JSON. */
export interface ProducerStats {
  queueMessages: number;
  queueBytes: number;
  queueLatencyP50Ms: number;
  queueLatencyP99Ms: number;
  brokerRttP50Ms: number;
  brokerRttP99Ms: number;
}

export const EMPTY_PRODUCER_STATS: ProducerStats = {
  queueMessages: 0,
  queueBytes: 0,
  queueLatencyP50Ms: 0,
  queueLatencyP99Ms: 0,
  brokerRttP50Ms: 0,
  brokerRttP99Ms: 0,
};

interface Window {
  p50?: unknown;
  p99?: unknown;
  cnt?: unknown;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Reads the statistics librdkafka emits every `statistics.interval.ms`: the local queue (top
 * level `msg_cnt`, `msg_size`) and, over real brokers (bootstrap entries have nodeid -1), the
 * worst percentiles of in-queue latency (`int_latency`) and round trip (`rtt`), microseconds.
 */
export function parseProducerStats(json: string): ProducerStats {
  let s: unknown;
  try {
    s = JSON.parse(json);
  } catch {
    return EMPTY_PRODUCER_STATS;
  }
  if (typeof s !== 'object' || s === null) return EMPTY_PRODUCER_STATS;
  const top = s as { msg_cnt?: unknown; msg_size?: unknown; brokers?: unknown };
  const out: ProducerStats = {
    ...EMPTY_PRODUCER_STATS,
    queueMessages: num(top.msg_cnt),
    queueBytes: num(top.msg_size),
  };
  const brokers =
    typeof top.brokers === 'object' && top.brokers !== null ? Object.values(top.brokers) : [];
  for (const b of brokers as Array<{ nodeid?: unknown; int_latency?: Window; rtt?: Window }>) {
    if (num(b.nodeid) < 0) continue;
    const worst = (w: Window | undefined, key: 'p50' | 'p99', held: number): number =>
      w && num(w.cnt) > 0 ? Math.max(held, num(w[key]) / 1000) : held;
    out.queueLatencyP50Ms = worst(b.int_latency, 'p50', out.queueLatencyP50Ms);
    out.queueLatencyP99Ms = worst(b.int_latency, 'p99', out.queueLatencyP99Ms);
    out.brokerRttP50Ms = worst(b.rtt, 'p50', out.brokerRttP50Ms);
    out.brokerRttP99Ms = worst(b.rtt, 'p99', out.brokerRttP99Ms);
  }
  return out;
}
