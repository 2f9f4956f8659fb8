import { randomBytes } from 'node:crypto';
import {
  type CustomerCounters,
  customerStatsProducerConfig,
  type EdgeConfig,
  type EdgeCounters,
  flatProperties,
  LineBatch,
  loadNativeProducer,
  type NativeProducerBinding,
  type NativeProducerHandle,
  produceBatch,
  SampledLog,
  type TenantTable,
} from '@logstream/edge';
import type { Logger } from '@logstream/observability';
import { EDGE_STATS_RECORD_VERSION, encodeEdgeStatsRecord } from '@logstream/registry';
import { EDGE_STATS_TOPIC } from '@logstream/tenancy';

/** A record is small: what is left of it after this on shutdown is given up. */
const SHUTDOWN_FLUSH_MS = 5_000;

/**
 * Publishes this node's per-customer counts to `logstream.edge-stats` every interval, and once
 * more on shutdown (after the lines are flushed, so the last record covers every line read).
 * Its own librdkafka client (the addon's, one topic): a missing topic or grant fails records,
 * counted and logged, and never holds up or counts against the lines.
 */
export class CustomerStatsPublisher {
  private readonly native: NativeProducerBinding;
  private readonly handle: NativeProducerHandle;
  private readonly key: Buffer;
  private readonly boot = randomBytes(8).toString('hex');
  private readonly batch = new LineBatch(1);
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly failures: SampledLog;

  constructor(
    private readonly config: EdgeConfig,
    private readonly table: TenantTable,
    private readonly perCustomer: CustomerCounters,
    private readonly counters: EdgeCounters,
    private readonly startedAt: number,
    logger: Logger,
  ) {
    this.native = loadNativeProducer();
    this.handle = this.native.create(flatProperties(customerStatsProducerConfig(config)));
    this.native.addTopic(this.handle, EDGE_STATS_TOPIC);
    this.key = Buffer.from(config.nodeId);
    this.failures = new SampledLog((message, fields) => logger.warn(message, fields));
  }

  start(): void {
    const every = this.config.customerStatsIntervalMs;
    this.timer = setInterval(() => this.publish(), every);
    this.pollTimer = setInterval(() => this.poll(), 1000);
  }

  /** One record of the counts so far. */
  publish(): void {
    if (this.closed) return;
    const now = Date.now();
    const value = encodeEdgeStatsRecord({
      v: EDGE_STATS_RECORD_VERSION,
      node: this.config.nodeId,
      boot: this.boot,
      startedAt: this.startedAt,
      seq: ++this.seq,
      at: now,
      intervalMs: this.config.customerStatsIntervalMs,
      customers: this.perCustomer.totals(this.table),
    });
    const batch = this.batch;
    batch.clear();
    batch.push(value, 0, 0, value.length);
    // Queue full (Kafka away for a long while): skipped; the next record carries the counts.
    if (produceBatch(this.native, this.handle, batch, this.key)) this.counters.customerStatsSent++;
    else this.counters.customerStatsFailed++;
  }

  /** The last record, flushed (bounded: the lines are delivered already), then the client closed. */
  async stop(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.publish();
    await new Promise<void>((resolve) =>
      this.native.flush(
        this.handle,
        Math.min(SHUTDOWN_FLUSH_MS, this.config.shutdownTimeoutMs),
        (error) => {
          if (error) this.failures.write('last customer stats record not delivered', { error });
          resolve();
        },
      ),
    );
    this.poll();
    this.closed = true;
    this.native.close(this.handle);
  }

  private poll(): void {
    if (this.closed) return;
    this.native.poll(this.handle);
    const e = this.native.takeEvents(this.handle);
    const failed = e.deliveryErrors + e.refused;
    if (failed > 0) {
      this.counters.customerStatsFailed += failed;
      this.failures.write('customer stats records not delivered', {
        failed,
        topic: EDGE_STATS_TOPIC,
        error: e.deliveryError ?? e.refusedError,
      });
    }
    if (e.errors > 0) this.failures.write('customer stats client error', { error: e.error });
  }
}
