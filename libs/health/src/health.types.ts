/** What one collection observes in Kafka, and what the API answers (the panel's contract). */

export interface PartitionWatermarks {
  partition: number;
  /** Offset of the oldest retained line. */
  low: number;
  /** Offset the next line will get (lines ever appended to this partition). */
  high: number;
}

export interface GroupObservation {
  groupId: string;
  /** Kafka's group state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  state: string;
  members: number;
  /** Committed offset per partition; partitions the group never committed are absent. */
  committed: Map<number, number>;
}

export interface GroupHealth {
  groupId: string;
  state: string;
  members: number;
  /** Lines appended and still retained that the group has not committed past. */
  lagLines: number;
  /** Age of the oldest line the group has not read; null while the history cannot tell. */
  lagSeconds: number | null;
  /** When the collector first saw the group's current committed offsets (null: not yet). */
  lastCommitAt: string | null;
  atRisk: boolean;
  /** Lines deleted by retention before this group read them (since the collector knows it). */
  lostLines: number;
}

export interface EdgeDrops {
  /** Sum over the edge nodes' last complete minutes reported. */
  routedLines: number;
  routedBytes: number;
  inactive: number;
  oversize: number;
  /** Edge nodes that reported for this customer in the window. */
  nodes: number;
  /** Start of the window the figures cover (ISO), null before the first report. */
  since: string | null;
}

export interface CustomerHealth {
  asOf: string;
  produced: { linesPerSec: number; bytesPerSec: number | null; lastLineAt: string | null };
  retention: { ms: number | null; oldestLineAt: string | null };
  groups: GroupHealth[];
  edgeDrops: EdgeDrops;
  /**
   * The customer topic's bytes per second at the brokers (their JMX exporters): appended, and
   * fetched by consumers; null before two readings, or when a broker did not answer.
   */
  broker: { producedBytesPerSec: number | null; fetchedBytesPerSec: number | null };
  lastError: string | null;
}

export const HEALTH_SERIES_METRICS = [
  'producedLinesPerSec',
  'producedBytesPerSec',
  'maxLagLines',
  'maxLagSeconds',
  'lostLines',
  'edgeInactive',
  'edgeOversize',
] as const;
export type HealthSeriesMetric = (typeof HEALTH_SERIES_METRICS)[number];

export interface HealthSeriesPoint {
  /** Start of the step (ISO). */
  t: string;
  value: number | null;
}

export interface HealthSeries {
  metric: HealthSeriesMetric;
  stepSeconds: number;
  from: string;
  to: string;
  points: HealthSeriesPoint[];
}
