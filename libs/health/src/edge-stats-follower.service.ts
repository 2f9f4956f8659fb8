import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Kafka } from 'kafkajs';
import { registerKafkaDecoders } from '@logstream/kafka';
import type { Logger } from '@logstream/observability';
import { decodeEdgeStatsRecord } from '@logstream/registry';
import { EDGE_STATS_TOPIC, HEALTH_EDGE_STATS_GROUP } from '@logstream/tenancy';
import { EdgeStatsIndex } from './edge-stats.index';
import type { EdgeStatsTotals } from './edge-stats.rules';

/**
 * Follows `logstream.edge-stats` from its beginning (compacted: each node's latest records)
 * into an {@link EdgeStatsIndex}; the collector takes its figures once per collection. It never
 * commits: counts are cumulative per node run, so re-reading on a restart only sets baselines.
 * Until the topic exists (the provisioner creates it) it retries; the collection goes on
 * meanwhile with no edge figures.
 */
export class EdgeStatsFollower {
  private readonly index: EdgeStatsIndex;
  private consumer: Consumer | undefined;
  private stopped = false;
  private invalid = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly log: Logger,
    startedAtMs = Date.now(),
  ) {
    this.index = new EdgeStatsIndex(startedAtMs);
    // The edge's stats client compresses with lz4 (or zstd); kafkajs reads gzip only.
    registerKafkaDecoders();
  }

  /** Starts following in the background (returns at once). */
  start(): void {
    this.running = this.loop();
  }

  /** For the collector: this collection's figures per customer. */
  take(nowMs = Date.now()): Map<string, EdgeStatsTotals> {
    return this.index.take(nowMs);
  }

  get nodes(): number {
    return this.index.nodeCount;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.running;
  }

  private async loop(): Promise<void> {
    for (let delay = 1000; !this.stopped; delay = Math.min(delay * 2, 30_000)) {
      const consumer = this.kafka.consumer({
        groupId: HEALTH_EDGE_STATS_GROUP,
        maxWaitTimeInMs: 500,
      });
      this.consumer = consumer;
      // A crash kafkajs does not retry by itself (say an undecodable batch) starts over.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart || this.stopped) return;
        this.log.warn('edge stats follower crashed; starting over', {
          error: payload.error.message,
        });
        void consumer
          .disconnect()
          .catch(() => undefined)
          .then(() => {
            if (!this.stopped) this.running = this.loop();
          });
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: EDGE_STATS_TOPIC, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: ({ message }) => {
            const decoded = decodeEdgeStatsRecord(message.key, message.value);
            if (decoded.kind === 'record') this.index.apply(decoded.record);
            else if (this.invalid++ % 1000 === 0) {
              this.log.warn('edge stats record refused', { reason: decoded.reason });
            }
            return Promise.resolve();
          },
        });
        this.log.info('following edge stats', { topic: EDGE_STATS_TOPIC });
        return;
      } catch (err) {
        await consumer.disconnect().catch(() => undefined);
        if (this.stopped) return;
        this.log.warn('cannot follow edge stats yet; retrying', {
          topic: EDGE_STATS_TOPIC,
          error: err instanceof Error ? err.message : String(err),
          retryInMs: delay,
        });
        await sleep(delay);
      }
    }
  }
}
