import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How long a readiness answer is reused: probes (or a flood of them) cost one query per period. */
export const READINESS_CACHE_MS = 2000;

@Injectable()
export class DatabaseHealthService {
  private last?: { at: number; up: boolean };
  private inFlight?: Promise<boolean>;

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Resolves when the database answers a query; rejects with the driver's error otherwise. */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  /**
   * Whether the database answered, as of at most {@link READINESS_CACHE_MS} ago; concurrent
   * callers share one query. The driver's error is the caller's to log, never to show.
   */
  async isUp(now = Date.now()): Promise<{ up: boolean; error?: unknown }> {
    if (this.last !== undefined && now - this.last.at < READINESS_CACHE_MS) {
      return { up: this.last.up };
    }
    let error: unknown;
    this.inFlight ??= this.ping()
      .then(() => true)
      .catch((err: unknown) => {
        error = err;
        return false;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    const up = await this.inFlight;
    this.last = { at: Date.now(), up };
    return error === undefined ? { up } : { up, error };
  }
}
