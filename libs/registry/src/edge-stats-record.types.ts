import { EDGE_STATS_TOPIC, isCustomerId } from '@logstream/tenancy';
import type { TopicSpec } from '@logstream/kafka';
import { jsonObjectOf } from './json-value.rules';

/** The version this code writes; a reader skips records of a version it does not know. */
export const EDGE_STATS_RECORD_VERSION = 1;

/** One customer's counts at an edge node: `[routedLines, routedBytes, inactive, oversize]`. */
export type EdgeCustomerCounts = [number, number, number, number];

/**
 * One record of `logstream.edge-stats`: key = edge node id, value = this as JSON. Every count
 * is **cumulative since the process started** (`boot`), not a window's: a record lost or
 * compacted away loses nothing (the next one carries it), and the latest record of a node is
 * the whole truth of its run. Readers take differences between two records of the same boot.
 */
export interface EdgeStatsRecord {
  v: typeof EDGE_STATS_RECORD_VERSION;
  /** The edge node id (also the key). */
  node: string;
  /** One run of the node's process; counts start from zero with each. */
  boot: string;
  /** When that run started (ms since the epoch, the node's clock). */
  startedAt: number;
  /** 1, 2, 3, … within a boot; a reader ignores a record not newer than one it holds. */
  seq: number;
  /** When the counts were read (ms since the epoch). */
  at: number;
  /** The node's publishing interval, so a reader can tell a silent node from a slow one. */
  intervalMs: number;
  /** Customers with any count since the boot (the others are absent, all zero). */
  customers: Record<string, EdgeCustomerCounts>;
}

export type DecodedEdgeStats =
  { kind: 'record'; record: EdgeStatsRecord } | { kind: 'invalid'; reason: string };

export function encodeEdgeStatsRecord(record: EdgeStatsRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isTime = (n: unknown): n is number => isCount(n) && n > 0;

/**
 * Reads one record defensively (the collector sums what edge nodes say; a malformed record is
 * dropped whole rather than half-counted). Extra fields are allowed for newer writers.
 */
export function decodeEdgeStatsRecord(
  key: Buffer | string | null,
  value: Buffer | null,
): DecodedEdgeStats {
  const node = key === null ? '' : key.toString();
  // The node id is the edge's --node-id (the host name by default): any short text.
  if (node.length === 0 || node.length > 255) {
    return { kind: 'invalid', reason: 'key is not an edge node id' };
  }
  if (value === null || value.length === 0) return { kind: 'invalid', reason: 'empty value' };
  const json = jsonObjectOf(value, `value for ${node}`);
  if ('reason' in json) return { kind: 'invalid', reason: json.reason };
  const r = json.object;
  if (r.v !== EDGE_STATS_RECORD_VERSION) {
    return {
      kind: 'invalid',
      reason: `version ${String(r.v)} is not ${EDGE_STATS_RECORD_VERSION}`,
    };
  }
  if (r.node !== node) return { kind: 'invalid', reason: `value.node does not match key ${node}` };
  if (typeof r.boot !== 'string' || r.boot.length === 0 || r.boot.length > 64) {
    return { kind: 'invalid', reason: `value.boot of ${node} is not an id` };
  }
  if (!isTime(r.startedAt) || !isTime(r.at) || !isCount(r.seq) || !isTime(r.intervalMs)) {
    return {
      kind: 'invalid',
      reason: `startedAt, at, seq or intervalMs of ${node} is not a count`,
    };
  }
  if (typeof r.customers !== 'object' || r.customers === null || Array.isArray(r.customers)) {
    return { kind: 'invalid', reason: `value.customers of ${node} is not an object` };
  }
  const customers: Record<string, EdgeCustomerCounts> = {};
  for (const [id, counts] of Object.entries(r.customers as Record<string, unknown>)) {
    if (!isCustomerId(id) || !Array.isArray(counts) || counts.length !== 4) {
      return { kind: 'invalid', reason: `customer entry "${id}" of ${node} is malformed` };
    }
    if (!counts.every(isCount)) {
      return { kind: 'invalid', reason: `counts of "${id}" from ${node} are not counts` };
    }
    customers[id] = counts as EdgeCustomerCounts;
  }
  return {
    kind: 'record',
    record: {
      v: EDGE_STATS_RECORD_VERSION,
      node,
      boot: r.boot,
      startedAt: r.startedAt,
      seq: r.seq,
      at: r.at,
      intervalMs: r.intervalMs,
      customers,
    },
  };
}

/**
 * The edge stats topic: compacted by node id (its latest record is all a reader starting
 * afresh needs, since counts are cumulative) and deleted after a day too, so a node that is
 * gone stops leaving a record behind; a few partitions spread the nodes.
 */
export function edgeStatsTopicSpec(replicationFactor: number): TopicSpec {
  return {
    name: EDGE_STATS_TOPIC,
    partitions: 3,
    replicationFactor,
    configs: {
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(24 * 3600_000),
      'min.insync.replicas': String(Math.min(2, replicationFactor)),
      'segment.ms': String(3600_000),
      // A record names every customer a node served since it started (~40 bytes each).
      'max.message.bytes': String(8 * 1048576),
    },
  };
}
