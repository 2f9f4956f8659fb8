import type { EntityManager } from 'typeorm';
import { StatsRollupEntity } from '../entities/stats-rollup.entity';

export type StatsRollupRow = Omit<StatsRollupEntity, 'customer' | 'updatedAt'>;

/** One-minute statistics windows: replaced whole per (customer, window), pruned by age. */
export class StatsRollupRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes each window, replacing any earlier row of it (so a repeated or resumed write leaves
   * the same row). Rows of customers that do not exist (any more) are skipped.
   */
  async replace(rows: readonly StatsRollupRow[]): Promise<void> {
    for (const r of rows) {
      await this.em.query(
        `INSERT INTO stats_rollups (customer_id, window_start, final, requests, bytes, status,
           status_class, unique_visitors, hll, hll_precision, late, unparsed, top, updated_at)
         SELECT $1::varchar, $2::timestamptz, $3::boolean, $4::bigint, $5::bigint, $6::jsonb,
           $7::jsonb, $8::integer, $9::text, $10::smallint, $11::bigint, $12::bigint, $13::jsonb, now()
         WHERE EXISTS (SELECT 1 FROM customers WHERE id = $1::varchar)
         ON CONFLICT (customer_id, window_start) DO UPDATE SET final = EXCLUDED.final,
           requests = EXCLUDED.requests, bytes = EXCLUDED.bytes, status = EXCLUDED.status,
           status_class = EXCLUDED.status_class, unique_visitors = EXCLUDED.unique_visitors,
           hll = EXCLUDED.hll, hll_precision = EXCLUDED.hll_precision, late = EXCLUDED.late,
           unparsed = EXCLUDED.unparsed, top = EXCLUDED.top, updated_at = now()`,
        [
          r.customerId,
          r.windowStart,
          r.final,
          r.requests,
          r.bytes,
          JSON.stringify(r.status),
          JSON.stringify(r.statusClass),
          r.uniqueVisitors,
          r.hll,
          r.hllPrecision,
          r.late,
          r.unparsed,
          JSON.stringify(r.top),
        ],
      );
    }
  }

  /** A customer's windows with from <= windowStart < to, oldest first. */
  range(customerId: string, from: Date, to: Date): Promise<StatsRollupEntity[]> {
    return this.em
      .getRepository(StatsRollupEntity)
      .createQueryBuilder('r')
      .where('r.customer_id = :customerId', { customerId })
      .andWhere('r.window_start >= :from AND r.window_start < :to', { from, to })
      .orderBy('r.window_start', 'ASC')
      .getMany();
  }

  /** Deletes windows that started before `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    const result = await this.em
      .getRepository(StatsRollupEntity)
      .createQueryBuilder()
      .delete()
      .where('window_start < :before', { before })
      .execute();
    return result.affected ?? 0;
  }
}
