/** A topic's byte counters as the brokers' JMX exporters report them, summed over brokers. */
export interface TopicBytes {
  /** Bytes appended (produced), leader side: `kafka_server_brokertopicmetrics_bytesin_total`. */
  bytesIn: number;
  /** Bytes fetched by clients: `kafka_server_brokertopicmetrics_bytesout_total`. */
  bytesOut: number;
}

const SAMPLE =
  /^kafka_server_brokertopicmetrics_(bytesin|bytesout)_total\{(?:[^}]*,)?topic="([^"]+)"[^}]*\}\s+(\S+)/;

/**
 * Adds one broker's Prometheus text (its JMX exporter's /metrics) into `into`, per topic. Other
 * families and comments are skipped; a value that is not a number is ignored.
 */
export function addTopicBytes(text: string, into: Map<string, TopicBytes>): void {
  for (const line of text.split('\n')) {
    if (!line.startsWith('kafka_server_brokertopicmetrics_')) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    let t = into.get(m[2]);
    if (t === undefined) into.set(m[2], (t = { bytesIn: 0, bytesOut: 0 }));
    if (m[1] === 'bytesin') t.bytesIn += value;
    else t.bytesOut += value;
  }
}

/** Bytes per second between two readings; null when a counter went back (a broker restarted). */
export function bytesPerSec(before: number, after: number, seconds: number): number | null {
  if (after < before || seconds <= 0) return null;
  return Math.round(((after - before) / seconds) * 1000) / 1000;
}
