import Kafka from 'node-rdkafka';
import {
  type EdgeConfig,
  type EdgeCounters,
  registryConsumerConfig,
  type TenantTable,
  type Log,
  SampledLog,
} from '@logstream/edge';
import { decodeTenantRecord } from '@logstream/registry';
import { TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';

/** librdkafka's RD_KAFKA_OFFSET_BEGINNING. */
const OFFSET_BEGINNING = -2;
/** Longest wait of one consume call: a registry change is applied within about this. */
const POLL_MS = 200;

/** librdkafka reports errors as plain objects; rejections carry real Errors. */
function asError(err: { message: string; code?: number }): Error {
  return Object.assign(new Error(err.message), { code: err.code });
}

/**
 * Follows the compacted tenant registry from its beginning, without a consumer group (nothing
 * is committed; every start reads it all), applying each record to the tenant table. Routing
 * starts once the records that existed at start have been read ({@link caughtUp}).
 */
export class RegistryFollower {
  readonly caughtUp: Promise<void>;
  isCaughtUp = false;
  private markCaughtUp: () => void = () => undefined;
  private readonly consumer: Kafka.KafkaConsumer;
  private endOffset = 0;
  private stopped = false;
  private readonly errors: SampledLog;
  /** The consume loop; stop() waits for it so no consume is running when the client closes. */
  private polling: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  constructor(
    config: EdgeConfig,
    private readonly table: TenantTable,
    private readonly counters: EdgeCounters,
    private readonly log: Log,
  ) {
    this.caughtUp = new Promise((resolve) => (this.markCaughtUp = resolve));
    const { global, topic } = registryConsumerConfig(config);
    this.consumer = new Kafka.KafkaConsumer(global, topic);
    this.consumer.on('data', (msg) => this.apply(msg));
    this.consumer.on('partition.eof', () => this.caughtUpNow());
    this.errors = new SampledLog(log);
    this.consumer.on('event.error', (err) =>
      this.errors.write('registry consumer error', { error: err.message }),
    );
  }

  async start(): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        if (!this.consumer.isConnected()) {
          await new Promise<void>((resolve, reject) =>
            this.consumer.connect({ timeout: 10_000 }, (err) =>
              err ? reject(asError(err)) : resolve(),
            ),
          );
        }
        this.endOffset = await new Promise<number>((resolve, reject) => {
          this.consumer.queryWatermarkOffsets(TENANT_REGISTRY_TOPIC, 0, 10_000, (err, offsets) => {
            if (err) reject(asError(err));
            else resolve(offsets.highOffset);
          });
        });
        break;
      } catch (err) {
        this.log('tenant registry not readable yet; retrying', {
          error: (err as Error).message,
          retryInMs: delay,
        });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    if (this.stopped) return;
    this.consumer.assign([
      { topic: TENANT_REGISTRY_TOPIC, partition: 0, offset: OFFSET_BEGINNING },
    ]);
    if (this.endOffset === 0) this.caughtUpNow();
    this.polling = this.poll();
  }

  /**
   * Short consume calls driven from here rather than node-rdkafka's endless consume loop: that
   * loop holds a worker thread that a disconnect at exit could wait on forever.
   */
  private async poll(): Promise<void> {
    this.consumer.setDefaultConsumeTimeout(POLL_MS);
    while (!this.stopped) {
      await new Promise<void>((resolve) =>
        this.consumer.consume(1000, (err) => {
          if (err) this.errors.write('registry consumer error', { error: err.message });
          resolve();
        }),
      );
    }
  }

  /** Idempotent: every call gets the one stop. */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.stopped = true;
    this.markCaughtUp();
    await this.polling;
    if (!this.consumer.isConnected()) return;
    // Nothing is committed, so there is nothing to lose: give librdkafka a moment, not forever.
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      try {
        this.consumer.unassign();
      } catch {
        // not assigned yet
      }
      this.consumer.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private apply(msg: Kafka.Message): void {
    const key = msg.key === undefined || msg.key === null ? null : Buffer.from(msg.key);
    const result = this.table.apply(decodeTenantRecord(key, msg.value));
    switch (result) {
      case 'stale':
        this.counters.registryStale++;
        break;
      case 'invalid':
        this.counters.registryInvalid++;
        this.log('invalid tenant registry record ignored', { offset: msg.offset });
        break;
      case 'added':
      case 'updated':
      case 'unchanged':
      case 'removed':
      case 'absent':
        this.counters.registryApplied++;
        break;
    }
    if (msg.offset + 1 >= this.endOffset) this.caughtUpNow();
  }

  private caughtUpNow(): void {
    if (this.isCaughtUp) return;
    this.isCaughtUp = true;
    this.markCaughtUp();
    this.log('tenant registry caught up', {
      tenants: this.table.size,
      enabled: this.table.enabled,
    });
  }
}
