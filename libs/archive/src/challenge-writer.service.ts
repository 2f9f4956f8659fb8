import type { ArchiverConfig } from '@logstream/config';
import type { Logger } from '@logstream/observability';
import type { ArchiveRepository, CustomerArchiveEntity } from '@logstream/persistence';
import { challengeObjectKey } from './object-key.rules';
import { ObjectStore } from './object-store.service';
import { openSecret, secretContext } from './secret-box.rules';
import { classifyStoreError } from './store-errors.rules';

/**
 * Writes the ownership challenge into destinations not proved yet: an object holding a token
 * that only someone who can read the bucket learns, to be sent back to the API.
 */
export class ChallengeWriter {
  private readonly lastTry = new Map<string, number>();

  constructor(
    private readonly repo: ArchiveRepository,
    private readonly config: ArchiverConfig,
    private readonly log: Logger,
  ) {}

  async writePending(rows: readonly CustomerArchiveEntity[]): Promise<void> {
    for (const row of rows) {
      if (row.verifiedAt !== null || row.challengeKey !== null) continue;
      const tried = this.lastTry.get(`${row.customerId}:${row.settingsVersion}`) ?? 0;
      if (Date.now() - tried < this.config.retryMaxMs && tried > 0) continue;
      this.lastTry.set(`${row.customerId}:${row.settingsVersion}`, Date.now());
      await this.write(row);
    }
  }

  private async write(row: CustomerArchiveEntity): Promise<void> {
    const key = challengeObjectKey(row.pathPrefix);
    const destination = {
      endpoint: row.endpoint,
      bucket: row.bucket,
      region: row.region,
      accessKeyId: row.accessKeyId,
      secretAccessKey: openSecret(
        this.config.secretKey.key,
        secretContext(row.customerId, 'secret'),
        row.secretCiphertext,
      ),
    };
    const token = openSecret(
      this.config.secretKey.key,
      secretContext(row.customerId, 'challenge'),
      row.challengeCiphertext,
    );
    const store = new ObjectStore(destination, this.config.uploadTimeoutMs);
    try {
      const body =
        `Logstream archive ownership challenge for customer ${row.customerId}.\n` +
        `Send this token to POST /v1/customers/${row.customerId}/archive/verify as {"token": "..."}:\n` +
        `${token}\n`;
      await store.put(key, Buffer.from(body, 'utf8'), 'text/plain; charset=utf-8');
      await this.repo.recordChallengeWritten(row.customerId, row.settingsVersion, key);
      this.log.info('archive challenge written', { customer: row.customerId, key });
    } catch (err) {
      const failure = classifyStoreError(err, destination);
      await this.repo.recordChallengeError(row.customerId, failure.message);
      this.log.warn('cannot write the archive challenge', {
        customer: row.customerId,
        error: failure.message,
      });
    } finally {
      store.close();
    }
  }
}
