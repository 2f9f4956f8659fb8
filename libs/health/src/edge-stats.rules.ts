import type { EdgeDrops } from './health.types';

/** Counts an edge node keeps per customer (the fields of an edge stats record's arrays). */
export interface EdgeCounts {
  routedLines: number;
  routedBytes: number;
  inactive: number;
  oversize: number;
}

/** One customer's edge figures for one collection. */
export interface EdgeStatsTotals {
  /** Summed over the edge nodes' latest windows (each node's last two records). */
  drops: EdgeDrops;
  /** Routed bytes per second over those windows, measured by the edge nodes. */
  bytesPerSec: number | null;
  /**
   * What the nodes counted since the previous collection (each record's growth once, whatever
   * the windows): what the minute rollups add up.
   */
  added: EdgeCounts;
}

export function zeroEdgeCounts(): EdgeCounts {
  return { routedLines: 0, routedBytes: 0, inactive: 0, oversize: 0 };
}

export function emptyEdgeDrops(): EdgeStatsTotals {
  return {
    drops: { ...zeroEdgeCounts(), nodes: 0, since: null },
    bytesPerSec: null,
    added: zeroEdgeCounts(),
  };
}
