import type { EdgeDrops } from './health.types';

/** One customer's edge figures summed over the edge nodes' latest reports. */
export interface EdgeStatsTotals {
  drops: EdgeDrops;
  /** Routed bytes per second over the reported window, measured by the edge nodes. */
  bytesPerSec: number | null;
}

export function emptyEdgeDrops(): EdgeStatsTotals {
  return {
    drops: { routedLines: 0, routedBytes: 0, inactive: 0, oversize: 0, nodes: 0, since: null },
    bytesPerSec: null,
  };
}
