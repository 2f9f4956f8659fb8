import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CredentialRepository, CredentialReservationRepository } from '@logstream/persistence';
import { CONTROL_OPTIONS, type ControlOptions } from './control.types';

const PRUNE_INTERVAL_MS = 3_600_000;

/**
 * Deletes credentials revoked or expired longer ago than the retention period, and lapsed
 * reservations, once an hour (and at start). Several API instances doing it at once is harmless.
 */
@Injectable()
export class CredentialRetentionService implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.pruneQuietly(), PRUNE_INTERVAL_MS);
    this.timer.unref();
    setImmediate(() => void this.pruneQuietly());
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Prunes now; answers how many credentials and reservations went. */
  async prune(): Promise<{ credentials: number; reservations: number }> {
    const credentials = await new CredentialRepository(this.db.manager).deleteRetired(
      this.options.credentials.retentionDays,
    );
    const reservations = await new CredentialReservationRepository(this.db.manager).deleteLapsed();
    return { credentials, reservations };
  }

  private async pruneQuietly(): Promise<void> {
    if (!this.db.isInitialized) return;
    try {
      await this.prune();
    } catch (err) {
      this.options.reportError?.('pruning retired credentials failed', err);
    }
  }
}
