import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Principal, visibleCustomer } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { emptyEdgeDrops } from './edge-stats.rules';
import {
  type CustomerHealth,
  HEALTH_SERIES_METRICS,
  type HealthSeries,
  type HealthSeriesMetric,
} from './health.types';

/**
 * Each metric's aggregate over a step's rollups ($2: the step in seconds). Every parameter of
 * the statement must appear in it whatever the metric: PostgreSQL refuses one it cannot type.
 */
const SERIES_SQL: Record<HealthSeriesMetric, string> = {
  producedLinesPerSec: 'SUM(produced_lines)::float8 / $2',
  producedBytesPerSec: 'SUM(produced_bytes)::float8 / $2',
  maxLagLines: 'MAX(max_lag_lines)::float8',
  maxLagSeconds: 'MAX(max_lag_seconds)',
  lostLines: 'MAX(lost_lines)::float8',
  edgeInactive: 'SUM(edge_inactive)::float8',
  edgeOversize: 'SUM(edge_oversize)::float8',
};

const RANGES: Record<string, number> = {
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 86_400,
  '7d': 7 * 86_400,
  '30d': 30 * 86_400,
};

/** The API's reads of the collector's results: the latest snapshot and the rollup series. */
@Injectable()
export class HealthQueryService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  private async assertCustomer(principal: Principal, id: CustomerId): Promise<void> {
    await visibleCustomer(this.db.manager, principal, id);
  }

  async health(principal: Principal, id: CustomerId): Promise<CustomerHealth> {
    await this.assertCustomer(principal, id);
    const rows: Array<{ body: CustomerHealth }> = await this.db.query(
      `SELECT body FROM health_snapshots WHERE customer_id = $1`,
      [id],
    );
    if (rows[0]) return rows[0].body;
    return {
      asOf: new Date().toISOString(),
      produced: { linesPerSec: 0, bytesPerSec: null, lastLineAt: null },
      retention: { ms: null, oldestLineAt: null },
      groups: [],
      edgeDrops: emptyEdgeDrops().drops,
      broker: { producedBytesPerSec: null, fetchedBytesPerSec: null },
      lastError: 'no health collected yet for this customer',
    };
  }

  async series(
    principal: Principal,
    id: CustomerId,
    query: { metric?: string; range?: string; step?: string },
  ): Promise<HealthSeries> {
    const metric = query.metric as HealthSeriesMetric;
    if (!HEALTH_SERIES_METRICS.includes(metric)) {
      throw new BadRequestException(`metric must be one of ${HEALTH_SERIES_METRICS.join(', ')}`);
    }
    const rangeSec = RANGES[query.range ?? '24h'];
    if (rangeSec === undefined) {
      throw new BadRequestException(`range must be one of ${Object.keys(RANGES).join(', ')}`);
    }
    const step = Number(query.step ?? 60);
    if (!Number.isInteger(step) || step < 60 || step > 86_400 || step % 60 !== 0) {
      throw new BadRequestException(
        'step must be a whole number of minutes in seconds, 60 to 86400',
      );
    }
    if (rangeSec / step > 2000) {
      throw new BadRequestException(`range/step gives more than 2000 points; use a larger step`);
    }
    await this.assertCustomer(principal, id);
    const to = Math.floor(Date.now() / 1000 / step) * step + step;
    const from = to - rangeSec;
    const rows: Array<{ bucket: number; value: number | null }> = await this.db.query(
      `SELECT (floor(extract(epoch FROM minute) / $2) * $2)::bigint AS bucket, ${SERIES_SQL[metric]} AS value
       FROM health_rollups
       WHERE customer_id = $1 AND minute >= to_timestamp($3) AND minute < to_timestamp($4)
       GROUP BY 1 ORDER BY 1`,
      [id, step, from, to],
    );
    const byBucket = new Map(rows.map((r) => [Number(r.bucket), r.value]));
    const points = [];
    for (let t = from; t < to; t += step) {
      points.push({ t: new Date(t * 1000).toISOString(), value: byBucket.get(t) ?? null });
    }
    return {
      metric,
      stepSeconds: step,
      from: new Date(from * 1000).toISOString(),
      to: new Date(to * 1000).toISOString(),
      points,
    };
  }
}
