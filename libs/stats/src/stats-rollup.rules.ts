import type { StatsRollupRow } from '@logstream/persistence';
import type { StatsRecord } from './stats-record.types';

/** How long one-minute rollups are kept in PostgreSQL. */
export const ROLLUP_RETENTION_MS = 30 * 24 * 3600_000;

/** The PostgreSQL rows of a flush: its one-minute windows, open or final, without their counters. */
export function rollupRows(records: readonly StatsRecord[]): StatsRollupRow[] {
  return records
    .filter((r) => r.granularity === '1m')
    .map((r) => ({
      customerId: r.customerId,
      windowStart: new Date(r.windowStart),
      final: r.final,
      requests: r.requests,
      bytes: r.bytes,
      status: r.status,
      statusClass: r.statusClass,
      uniqueVisitors: r.uniqueVisitors.estimate,
      hll: r.state.hll,
      hllPrecision: r.state.hllPrecision,
      late: r.late,
      unparsed: r.unparsed,
      top: r.top,
    }));
}
