import { ConfigError } from '@logstream/config';
import {
  classifyRdkafkaLog,
  EMPTY_PRODUCER_STATS,
  type EdgeConfig,
  type EdgeCounters,
  flatProperties,
  type LineBatch,
  loadNativeProducer,
  type NativeProducerBinding,
  type NativeProducerHandle,
  parseProducerStats,
  produceBatch,
  type ProducerStats,
  producerConfig,
  SampledLog,
  type TenantTable,
} from '@logstream/edge';
import type { Logger } from '@logstream/observability';

/**
 * librdkafka, as the edge pipeline uses it: whole batches of lines in one call, topics by slot.
 * librdkafka connects (and reconnects) by itself; lines wait in its queue meanwhile.
 */
export class EdgeKafkaProducer {
  stats: ProducerStats = EMPTY_PRODUCER_STATS;
  /** Set once librdkafka raised a fatal error: nothing more can be delivered by this process. */
  fatalError: string | undefined;
  private readonly native: NativeProducerBinding;
  private readonly handle: NativeProducerHandle;
  private readonly key: Buffer;
  private topicSlots = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly failures: SampledLog;
  private readonly errors: SampledLog;

  constructor(
    config: EdgeConfig,
    private readonly table: TenantTable,
    private readonly counters: EdgeCounters,
    private readonly logger: Logger,
  ) {
    const log = (message: string, fields?: Record<string, unknown>) => logger.warn(message, fields);
    this.native = loadNativeProducer();
    this.handle = this.createOrExplain(config);
    this.key = Buffer.from(config.nodeId);
    this.failures = new SampledLog(log);
    this.errors = new SampledLog(log);
    // Delivery failures, errors and statistics come back through poll().
    this.pollTimer = setInterval(() => this.poll(), 100);
  }

  /** librdkafka checks every property (-X ones too); what it refuses is a configuration error. */
  private createOrExplain(config: EdgeConfig): NativeProducerHandle {
    try {
      return this.native.create(flatProperties(producerConfig(config)));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR__INVALID_ARG') throw err;
      throw new ConfigError([`librdkafka: ${(err as Error).message} (check -X and the flags)`]);
    }
  }

  /**
   * Hands the batch's lines from `batch.taken` on to librdkafka (which copies them). Returns
   * false when its local queue filled up first: `batch.taken` says how far it got.
   */
  produce(batch: LineBatch): boolean {
    // Topics of customers the registry added since the last batch get their handles now.
    while (this.topicSlots < this.table.slotCount) {
      this.native.addTopic(this.handle, this.table.topicOfSlot(this.topicSlots++));
    }
    return produceBatch(this.native, this.handle, batch, this.key);
  }

  /** Serves librdkafka's callbacks and takes in what they reported. */
  poll(): void {
    // A flush that was running when the client was closed still calls back.
    if (this.pollTimer === undefined) return;
    this.native.poll(this.handle);
    const e = this.native.takeEvents(this.handle);
    if (e.stats) this.stats = parseProducerStats(e.stats);
    const failed = e.deliveryErrors + e.refused;
    if (failed > 0) {
      this.counters.produceErrors += failed;
      this.failures.write('lines not delivered', {
        failed,
        error: e.deliveryError ?? e.refusedError,
      });
    }
    if (e.errors > 0) this.errors.write('kafka error', { error: e.error });
    if (e.fatal && this.fatalError === undefined) {
      this.fatalError = e.error ?? 'fatal error';
      this.logger.error('kafka producer failed for good', { error: this.fatalError });
    }
    for (const line of e.logs) {
      const { level, msg, fields } = classifyRdkafkaLog(line);
      this.logger.log(level, msg, fields);
    }
    if (e.logsSkipped > 0)
      this.logger.warn('librdkafka log lines skipped', { skipped: e.logsSkipped });
  }

  /** Waits until every line handed over so far is acknowledged by Kafka (or failed). */
  flush(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.native.flush(this.handle, timeoutMs, (error) => {
        this.poll();
        if (error) reject(new Error(`flush: ${error}`));
        else resolve();
      }),
    );
  }

  /** Lines handed over and not yet acknowledged (plus librdkafka's own pending requests). */
  get queued(): number {
    return this.native.outqLen(this.handle);
  }

  /** Releases the client; flush first, or what is still queued is dropped. */
  disconnect(): void {
    if (this.pollTimer === undefined) return;
    this.poll();
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.native.close(this.handle);
  }
}
