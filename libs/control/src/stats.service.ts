import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StatsRollupRepository } from '@logstream/persistence';
import {
  durationMs,
  seriesOf,
  type SeriesPoint,
  topOf,
  type TopEntry,
  type TopListName,
} from '@logstream/stats';
import type { CustomerId } from '@logstream/tenancy';
import type { Principal } from './control.types';
import { visibleCustomer } from './visible-customer.reader';

export interface StatsSeries {
  customerId: string;
  from: string;
  to: string;
  step: string;
  points: SeriesPoint[];
}

export interface StatsTop {
  customerId: string;
  from: string;
  to: string;
  lists: Record<TopListName, TopEntry[]>;
}

/** Reads the aggregator's one-minute rollups for the API and the panel. */
@Injectable()
export class StatsService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** `range` and `step` are validated durations (`15m`, `1h`, `7d`); the range ends now. */
  async series(
    principal: Principal,
    id: CustomerId,
    range: string,
    step: string,
  ): Promise<StatsSeries> {
    const stepMs = durationMs(step);
    const { from, to, rows } = await this.load(principal, id, range, stepMs);
    return {
      customerId: id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step,
      points: seriesOf(rows, from, to, stepMs),
    };
  }

  async top(principal: Principal, id: CustomerId, range: string, limit: number): Promise<StatsTop> {
    const { from, to, rows } = await this.load(principal, id, range);
    return {
      customerId: id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      lists: topOf(rows, limit),
    };
  }

  /** Both answers from one read of the rollups (the panel's traffic block shows both). */
  async overview(
    principal: Principal,
    id: CustomerId,
    range: string,
    step: string,
    limit: number,
  ): Promise<{ series: StatsSeries; top: StatsTop }> {
    const stepMs = durationMs(step);
    const { from, to, rows } = await this.load(principal, id, range, stepMs);
    const span = {
      customerId: id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    };
    return {
      series: { ...span, step, points: seriesOf(rows, from, to, stepMs) },
      top: { ...span, lists: topOf(rows, limit) },
    };
  }

  /** The range ends at the end of the current step, so there are exactly range / step points. */
  private async load(principal: Principal, id: CustomerId, range: string, stepMs = 60_000) {
    await visibleCustomer(this.db.manager, principal, id);
    const to = Math.ceil(Date.now() / stepMs) * stepMs;
    const from = to - durationMs(range);
    const rows = await new StatsRollupRepository(this.db.manager).range(
      id,
      new Date(from),
      new Date(to),
    );
    return { from, to, rows };
  }
}
