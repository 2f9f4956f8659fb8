import type { EdgeCustomerCounts, EdgeStatsRecord } from '@logstream/registry';
import { type EdgeCounts, type EdgeStatsTotals, zeroEdgeCounts } from './edge-stats.rules';

/** A node's latest window counts while its last record is at most this many intervals old. */
const FRESH_INTERVALS = 2;
/** Slack for a record that is late (a slow broker, a busy node). */
const FRESH_SLACK_MS = 5_000;
/** A node silent this long is forgotten (it was decommissioned or renamed). */
const FORGET_AFTER_MS = 24 * 3600_000;

interface NodeWindow {
  from: number;
  to: number;
  /** Per customer: what the node counted between its last two records. */
  growth: Map<string, EdgeCustomerCounts>;
}

interface NodeState {
  boot: string;
  seq: number;
  at: number;
  intervalMs: number;
  totals: Record<string, EdgeCustomerCounts>;
  /** Undefined after a baseline record (its counts' history is not known). */
  window: NodeWindow | undefined;
}

export type EdgeStatsApplied = 'counted' | 'baseline' | 'stale';

const ZERO: EdgeCustomerCounts = [0, 0, 0, 0];

function addInto(into: EdgeCounts, c: EdgeCustomerCounts): void {
  into.routedLines += c[0];
  into.routedBytes += c[1];
  into.inactive += c[2];
  into.oversize += c[3];
}

/**
 * What the collector knows of the edge nodes' per-customer counts: each node's latest record
 * and the window between its last two, and the growth not yet handed to a collection. Records
 * carry counts cumulative since the node's process started (`boot`), so a difference of two
 * records of one boot is exact however many records were lost or compacted between them.
 *
 * Counted exactly once across collector restarts: growth is added only for records written
 * after this follower started (`startedAtMs`); older records only set a baseline. A boot that
 * started after the follower is counted from zero. (Clocks: the edge's `at` and `startedAt`
 * against the collector's; a node whose clock lags by more than its interval loses a window.)
 */
export class EdgeStatsIndex {
  private readonly nodes = new Map<string, NodeState>();
  private pending = new Map<string, EdgeCounts>();

  constructor(private readonly startedAtMs: number) {}

  apply(r: EdgeStatsRecord): EdgeStatsApplied {
    const held = this.nodes.get(r.node);
    let base: Record<string, EdgeCustomerCounts> | undefined;
    let from = r.startedAt;
    if (held !== undefined && held.boot === r.boot) {
      if (r.seq <= held.seq) return 'stale';
      base = held.totals;
      from = held.at;
    } else if (r.startedAt >= this.startedAtMs) {
      base = {}; // a run that began after we did: nobody counted any of it
    }
    const state: NodeState = {
      boot: r.boot,
      seq: r.seq,
      at: r.at,
      intervalMs: r.intervalMs,
      totals: r.customers,
      window: undefined,
    };
    this.nodes.set(r.node, state);
    if (base === undefined) return 'baseline';
    const growth = new Map<string, EdgeCustomerCounts>();
    const countNow = r.at >= this.startedAtMs;
    for (const [id, now] of Object.entries(r.customers)) {
      const before = base[id] ?? ZERO;
      // A count never falls within a boot; a record saying so is clamped rather than trusted.
      const g: EdgeCustomerCounts = [
        Math.max(0, now[0] - before[0]),
        Math.max(0, now[1] - before[1]),
        Math.max(0, now[2] - before[2]),
        Math.max(0, now[3] - before[3]),
      ];
      growth.set(id, g);
      if (countNow) {
        let p = this.pending.get(id);
        if (p === undefined) this.pending.set(id, (p = zeroEdgeCounts()));
        addInto(p, g);
      }
    }
    state.window = { from, to: r.at, growth };
    return 'counted';
  }

  /**
   * The figures of one collection: each customer summed over the nodes whose latest record is
   * fresh at `nowMs`, and what was counted since the previous call (handed out once).
   */
  take(nowMs: number): Map<string, EdgeStatsTotals> {
    const out = new Map<string, EdgeStatsTotals>();
    const entry = (id: string): EdgeStatsTotals => {
      let e = out.get(id);
      if (e === undefined) {
        e = {
          drops: { ...zeroEdgeCounts(), nodes: 0, since: null },
          bytesPerSec: null,
          added: zeroEdgeCounts(),
        };
        out.set(id, e);
      }
      return e;
    };
    const since = new Map<string, number>();
    for (const [node, state] of this.nodes) {
      const age = nowMs - state.at;
      if (age > FORGET_AFTER_MS) {
        this.nodes.delete(node);
        continue;
      }
      const w = state.window;
      if (w === undefined || age > FRESH_INTERVALS * state.intervalMs + FRESH_SLACK_MS) continue;
      const seconds = Math.max(0.001, (w.to - w.from) / 1000);
      for (const [id, g] of w.growth) {
        const e = entry(id);
        const d = e.drops;
        d.routedLines += g[0];
        d.routedBytes += g[1];
        d.inactive += g[2];
        d.oversize += g[3];
        d.nodes++;
        e.bytesPerSec = (e.bytesPerSec ?? 0) + g[1] / seconds;
        since.set(id, Math.min(since.get(id) ?? Infinity, w.from));
      }
    }
    for (const [id, from] of since) {
      const e = entry(id);
      e.drops.since = new Date(from).toISOString();
      if (e.bytesPerSec !== null) e.bytesPerSec = Math.round(e.bytesPerSec * 1000) / 1000;
    }
    for (const [id, added] of this.pending) entry(id).added = added;
    this.pending = new Map();
    return out;
  }

  /** Nodes with a record held (fresh or not). */
  get nodeCount(): number {
    return this.nodes.size;
  }
}
