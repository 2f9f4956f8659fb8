import type { StatsRollupEntity } from '@logstream/persistence';
import { HyperLogLog } from './hyperloglog.sketch';
import {
  STATUS_CLASSES,
  type StatusClass,
  TOP_LISTS,
  type TopListName,
} from './stats-record.types';
import type { TopEntry } from './space-saving.sketch';

export type RollupView = Pick<
  StatsRollupEntity,
  | 'windowStart'
  | 'requests'
  | 'bytes'
  | 'status'
  | 'statusClass'
  | 'hll'
  | 'hllPrecision'
  | 'late'
  | 'unparsed'
  | 'top'
>;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000 };
export const DURATION_PATTERN = /^([1-9][0-9]{0,4})([mhd])$/;
export const MAX_RANGE_MS = 30 * 86_400_000;
export const MAX_POINTS = 1440;

/** `15m`, `6h`, `7d` in ms (the caller has matched {@link DURATION_PATTERN}). */
export function durationMs(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** Why a range/step pair cannot be served, in words a person can act on; undefined if it can. */
export function explainSeriesRequest(rangeMs: number, stepMs: number): string | undefined {
  if (rangeMs > MAX_RANGE_MS) return 'range must be at most 30d (rollups are kept 30 days)';
  if (stepMs > rangeMs) return 'step must not exceed range';
  if (rangeMs / stepMs > MAX_POINTS) return `range / step must be at most ${MAX_POINTS} points`;
  return undefined;
}

export interface SeriesPoint {
  start: string;
  requests: number;
  bytes: number;
  statusClass: Record<StatusClass, number>;
  uniqueVisitors: number;
  late: number;
  unparsed: number;
}

/**
 * One point per step from `from` to `to`, empty steps as zeros (so charts need no gap logic).
 * Counts add exactly; unique visitors merge the minutes' HyperLogLog sketches.
 */
export function seriesOf(
  rows: readonly RollupView[],
  from: number,
  to: number,
  stepMs: number,
): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  const sketches: Array<HyperLogLog | undefined> = [];
  for (let t = from; t < to; t += stepMs) {
    points.push({
      start: new Date(t).toISOString(),
      requests: 0,
      bytes: 0,
      statusClass: Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0])) as Record<
        StatusClass,
        number
      >,
      uniqueVisitors: 0,
      late: 0,
      unparsed: 0,
    });
    sketches.push(undefined);
  }
  for (const r of rows) {
    const i = Math.floor((r.windowStart.getTime() - from) / stepMs);
    if (i < 0 || i >= points.length) continue;
    const p = points[i];
    p.requests += r.requests;
    p.bytes += r.bytes;
    p.late += r.late;
    p.unparsed += r.unparsed;
    for (const c of STATUS_CLASSES) p.statusClass[c] += r.statusClass[c] ?? 0;
    const hll = HyperLogLog.deserialize(r.hllPrecision, r.hll);
    const acc = sketches[i];
    if (acc && acc.precision === hll.precision) acc.merge(hll);
    else sketches[i] = hll;
  }
  sketches.forEach((s, i) => (points[i].uniqueVisitors = s ? s.estimate() : 0));
  return points;
}

/**
 * The top lists over a range: per key, the minutes' counts added. A key missing from a
 * minute's list may still have had up to that list's maxError there, so `error` adds those.
 */
export function topOf(rows: readonly RollupView[], limit: number): Record<TopListName, TopEntry[]> {
  const out = {} as Record<TopListName, TopEntry[]>;
  for (const list of TOP_LISTS) {
    const merged = new Map<string, TopEntry>();
    let missingBound = 0;
    const seenIn = new Map<string, number>();
    for (const r of rows) {
      const l = r.top[list];
      if (!l) continue;
      missingBound += l.maxError;
      for (const e of l.entries) {
        const m = merged.get(e.key) ?? { key: e.key, count: 0, error: 0 };
        m.count += e.count;
        m.error += e.error;
        merged.set(e.key, m);
        seenIn.set(e.key, (seenIn.get(e.key) ?? 0) + l.maxError);
      }
    }
    out[list] = [...merged.values()]
      .map((e) => ({ ...e, error: e.error + (missingBound - (seenIn.get(e.key) ?? 0)) }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
      .slice(0, limit);
  }
  return out;
}
