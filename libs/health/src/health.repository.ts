import type { DataSource } from 'typeorm';
import type { CustomerHealth } from './health.types';

/** One customer's figures for the current minute's rollup row. */
export interface RollupSample {
  customerId: string;
  producedLines: number;
  producedBytes: number;
  maxLagLines: number;
  maxLagSeconds: number | null;
  lostLines: number;
  edgeInactive: number;
  edgeOversize: number;
}

/**
 * The collector's writes, one statement per table per collection whatever the number of
 * customers (10,000 rows go as one JSON parameter). Rows of a customer deleted meanwhile are
 * skipped rather than failing the batch.
 */
export class HealthRepository {
  constructor(private readonly db: DataSource) {}

  async customerIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM customers WHERE deletion_requested_at IS NULL ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }

  async saveSnapshots(snapshots: ReadonlyMap<string, CustomerHealth>, asOf: Date): Promise<void> {
    if (snapshots.size === 0) return;
    const rows = [...snapshots].map(([id, body]) => ({ id, body }));
    await this.db.query(
      `INSERT INTO health_snapshots (customer_id, as_of, body)
       SELECT x->>'id', $1, x->'body' FROM jsonb_array_elements($2::jsonb) x
       WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = x->>'id')
       ON CONFLICT (customer_id) DO UPDATE SET as_of = EXCLUDED.as_of, body = EXCLUDED.body`,
      [asOf, JSON.stringify(rows)],
    );
  }

  /** Adds counts to the minute's row and keeps the minute's maxima. */
  async addRollups(samples: readonly RollupSample[], at: Date): Promise<void> {
    if (samples.length === 0) return;
    await this.db.query(
      `INSERT INTO health_rollups (customer_id, minute, produced_lines, produced_bytes,
         max_lag_lines, max_lag_seconds, lost_lines, edge_inactive, edge_oversize)
       SELECT x."customerId", date_trunc('minute', $1::timestamptz), x."producedLines",
         x."producedBytes", x."maxLagLines", x."maxLagSeconds", x."lostLines",
         x."edgeInactive", x."edgeOversize"
       FROM jsonb_to_recordset($2::jsonb) AS x("customerId" varchar, "producedLines" bigint,
         "producedBytes" bigint, "maxLagLines" bigint, "maxLagSeconds" double precision,
         "lostLines" bigint, "edgeInactive" bigint, "edgeOversize" bigint)
       WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = x."customerId")
       ON CONFLICT (customer_id, minute) DO UPDATE SET
         produced_lines = health_rollups.produced_lines + EXCLUDED.produced_lines,
         produced_bytes = health_rollups.produced_bytes + EXCLUDED.produced_bytes,
         max_lag_lines = GREATEST(health_rollups.max_lag_lines, EXCLUDED.max_lag_lines),
         max_lag_seconds = GREATEST(health_rollups.max_lag_seconds, EXCLUDED.max_lag_seconds),
         lost_lines = GREATEST(health_rollups.lost_lines, EXCLUDED.lost_lines),
         edge_inactive = health_rollups.edge_inactive + EXCLUDED.edge_inactive,
         edge_oversize = health_rollups.edge_oversize + EXCLUDED.edge_oversize`,
      [at, JSON.stringify(samples)],
    );
  }

  /** Deletes rollups older than `days`; answers how many. */
  async pruneRollups(days: number): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM health_rollups WHERE minute < now() - make_interval(days => $1)`,
      [days],
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}
