import type { TopEntry } from './space-saving.sketch';

/** Version of the JSON value written to `cdn-stats.<id>`; bumped on an incompatible change. */
export const STATS_RECORD_SCHEMA = 1;

export const GRANULARITIES = ['10s', '1m'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const GRANULARITY_MS: Readonly<Record<Granularity, number>> = {
  '10s': 10_000,
  '1m': 60_000,
};

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export interface TopList {
  /** Highest counts first; each count is an upper bound, count - error a lower bound. */
  entries: TopEntry[];
  /** No reported count exceeds the true one by more than this (Space-Saving's N/k bound). */
  maxError: number;
}

export interface StatsCheckpoint {
  /** Increases with every transaction of this customer's aggregator. */
  seq: number;
  /** Per input partition: the next offset to read and the newest event time seen. */
  partitions: Record<string, { next: number; maxEventMs: number }>;
  /** Per granularity: every window ending at or before this (ms) is closed. */
  closedBeforeMs: Record<Granularity, number>;
}

/** What the aggregator needs to resume a window exactly: full sketches and the checkpoint. */
export interface WindowState {
  hllPrecision: number;
  hll: string;
  counterCapacity: number;
  counters: Record<TopListName, { total: number; entries: TopEntry[] }>;
  checkpoint: StatsCheckpoint;
}

export const TOP_LISTS = ['hosts', 'paths', 'clientIps', 'clientIps4xx'] as const;
export type TopListName = (typeof TOP_LISTS)[number];

/** The value of one `cdn-stats.<id>` record, key `<granularity>|<windowStart ISO>`. */
export interface StatsRecord {
  schema: typeof STATS_RECORD_SCHEMA;
  customerId: string;
  granularity: Granularity;
  windowStart: string;
  windowEnd: string;
  /** False while the window may still change; a final record is the window's last. */
  final: boolean;
  requests: number;
  bytes: number;
  status: Record<string, number>;
  statusClass: Record<StatusClass, number>;
  uniqueVisitors: { estimate: number; relativeStandardError: number };
  /** Lines whose window had closed when they arrived (counted here, not in their window). */
  late: number;
  /** Lines that did not match the configured log format. */
  unparsed: number;
  top: Record<TopListName, TopList>;
  state: WindowState;
}

export function statsRecordKey(granularity: Granularity, windowStartMs: number): string {
  return `${granularity}|${new Date(windowStartMs).toISOString()}`;
}
