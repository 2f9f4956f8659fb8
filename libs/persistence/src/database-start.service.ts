import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { errorMessage, type Logger } from '@logstream/observability';

/**
 * Connects a worker app's DataSource, retrying with backoff (0.5 s doubling to 10 s) while the
 * database is still starting or away, until it connects or `signal` is aborted.
 */
export async function initializeWithRetry(
  db: DataSource,
  log: Logger,
  signal?: AbortSignal,
): Promise<void> {
  for (let delay = 500; !signal?.aborted; delay = Math.min(delay * 2, 10_000)) {
    try {
      await db.initialize();
      return;
    } catch (err) {
      log.warn('database not reachable yet', { error: errorMessage(err), retryInMs: delay });
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }
}
