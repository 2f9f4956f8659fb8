import { randomInt } from 'node:crypto';
import type { CustomerId } from '@logstream/tenancy';
import { AppProcess } from './app-process';
import type { ScratchDatabase } from './database';
import type { CustomerStatus, DesiredStateWriter } from './desired-state';
import { eventually } from './process';

/** A real provisioner process on a scratch database, with fast resyncs for tests. */
export function startProvisioner(
  db: Pick<ScratchDatabase, 'url'>,
  lockKey: number | undefined,
  env: Record<string, string> = {},
): AppProcess {
  return new AppProcess('provisioner', {
    LOGSTREAM_DATABASE_URL: db.url,
    LOGSTREAM_PROVISIONER_HTTP_PORT: '0',
    ...(lockKey === undefined ? {} : { LOGSTREAM_PROVISIONER_LOCK_KEY: String(lockKey) }),
    LOGSTREAM_PROVISIONER_LOCK_POLL_MS: '200',
    LOGSTREAM_PROVISIONER_RESYNC_MS: '1000',
    LOGSTREAM_PROVISIONER_RETRY_DELAY_MS: '500',
    LOGSTREAM_TOPIC_PARTITIONS: '1',
    ...env,
  });
}

export function randomLockKey(): number {
  return randomInt(1_000_000, 2 ** 31 - 1);
}

/** Waits until the provisioner reports `state` for the customer's current generation. */
export async function waitForState(
  writer: DesiredStateWriter,
  id: CustomerId,
  state: string,
  timeoutMs = 20_000,
): Promise<CustomerStatus> {
  let last: CustomerStatus | undefined;
  try {
    return await eventually(
      async () => {
        last = await writer.status(id);
        return last && last.state === state && last.observedGeneration === last.generation
          ? last
          : undefined;
      },
      `customer ${id} to be ${state}`,
      timeoutMs,
      100,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}
