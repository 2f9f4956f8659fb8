import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { KafkaConfig } from '@logstream/config';
import type { Logger } from '@logstream/observability';
import {
  customerIdOfTopic,
  customerStatsTopic,
  CUSTOMER_TOPIC_PREFIX,
  type CustomerId,
} from '@logstream/tenancy';
import { CustomerStats, latestCheckpoint } from './customer-stats.aggregator';
import type { StatsRecord } from './stats-record.types';
import type { AggregatorConfig } from './stats-config.loader';
import { readStatsTail } from './stats-tail.reader';
import { topicPerMemberAssigner } from './topic-per-member.assigner';

const RETRY_MS = 5_000;

interface CustomerSlot {
  id: CustomerId;
  stats: CustomerStats;
  producer: Producer;
  /** Serialises ingest and flush of this customer (one transaction at a time). */
  chain: Promise<void>;
  lastFlushMs: number;
}

export interface AggregatorCounters {
  lines: number;
  flushes: number;
  recordsWritten: number;
  customers: number;
}

/**
 * Reads every `cdn-logs.*` topic in one consumer group and writes each customer's windows to
 * `cdn-stats.<id>` in Kafka transactions that also commit the input offsets (exactly once):
 * a transaction holds every open window's full state and the offsets it covers, so a
 * restarted or new owner resumes from the last committed one, neither losing nor counting a
 * line twice. Each customer has its own transactional id, so a new owner fences an old one.
 */
export class StatsAggregatorService {
  private consumer: Consumer | undefined;
  private readonly slots = new Map<CustomerId, Promise<CustomerSlot | undefined>>();
  private topics: string[] = [];
  private fatal: ((err: Error) => void) | undefined;
  readonly counters: AggregatorCounters = { lines: 0, flushes: 0, recordsWritten: 0, customers: 0 };

  constructor(
    private readonly kafka: Kafka,
    private readonly kafkaConfig: KafkaConfig,
    private readonly config: AggregatorConfig,
    private readonly log: Logger,
    /**
     * Writes a flush's one-minute windows to PostgreSQL before its transaction commits. Rows
     * replace earlier ones of the same window, so a write whose transaction then aborts is
     * overwritten when the window is counted again.
     */
    private readonly rollups?: (records: StatsRecord[]) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs until `signal` aborts (resolves) or a transaction fails (rejects: restart to resume). */
  async run(signal: AbortSignal): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const failed = new Promise<never>((_, reject) => (this.fatal = reject));
    const flushTimer = setInterval(() => this.flushAll(), this.config.flushIntervalMs);
    try {
      while (!signal.aborted) {
        const topics = (await admin.listTopics())
          .filter((t) => customerIdOfTopic(t)?.startsWith(this.config.customerPrefix))
          .sort();
        if (topics.join() !== this.topics.join()) {
          await this.restartConsumer(topics);
        }
        await Promise.race([
          failed,
          new Promise((resolve) => {
            const t = setTimeout(resolve, this.config.topicRefreshMs);
            signal.addEventListener('abort', () => (clearTimeout(t), resolve(undefined)), {
              once: true,
            });
          }),
        ]);
      }
    } finally {
      clearInterval(flushTimer);
      await this.stopConsumer(!signal.aborted);
      await admin.disconnect();
    }
  }

  private async restartConsumer(topics: string[]): Promise<void> {
    await this.stopConsumer(true);
    this.topics = topics;
    if (topics.length === 0) return;
    const consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      partitionAssigners: [topicPerMemberAssigner],
      readUncommitted: false,
      maxWaitTimeInMs: 250,
      // A SIGKILLed member holds its customers until its session expires.
      sessionTimeout: 10_000,
      rebalanceTimeout: 20_000,
      heartbeatInterval: 1_000,
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const mine = new Set(Object.keys(e.payload.memberAssignment));
      for (const id of [...this.slots.keys()]) {
        if (!mine.has(CUSTOMER_TOPIC_PREFIX + id)) void this.dropSlot(id);
      }
      this.log.info('assignment', { topics: [...mine].sort() });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      // kafkajs restarts the consumer itself after a retriable crash (e.g. a slow rebalance).
      if (!e.payload.restart) this.fatal?.(e.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.consumer = consumer;
  }

  private async stopConsumer(flush: boolean): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect();
    const ids = [...this.slots.keys()];
    if (flush) await Promise.allSettled(ids.map((id) => this.withSlot(id, (s) => this.flush(s))));
    await Promise.allSettled(ids.map((id) => this.dropSlot(id)));
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const id = customerIdOfTopic(batch.topic);
    if (!id || batch.messages.length === 0) return;
    const available = await this.withSlot(id, async (slot) => {
      const high = Number(batch.highWatermark);
      const expected = slot.stats.positions().get(batch.partition);
      const now = this.now();
      for (const m of batch.messages) {
        const offset = Number(m.offset);
        // Already counted by a committed transaction (the group's offset lagged behind it).
        if (expected !== undefined && offset < expected) continue;
        if (m.value) slot.stats.ingest(batch.partition, offset, high, m.value, now);
        this.counters.lines++;
      }
      if (now - slot.lastFlushMs >= this.config.flushIntervalMs) await this.flush(slot);
    });
    if (!available) {
      // E.g. cdn-stats.<id> not created yet: read this topic again in a while, from where it was.
      const resume = payload.pause();
      setTimeout(resume, RETRY_MS).unref();
      return;
    }
    payload.resolveOffset(batch.lastOffset());
    await payload.heartbeat();
  }

  private flushAll(): void {
    for (const id of this.slots.keys()) {
      void this.withSlot(id, (s) => this.flush(s)).catch((err: unknown) =>
        this.fatal?.(err instanceof Error ? err : new Error(String(err))),
      );
    }
  }

  private async flush(slot: CustomerSlot): Promise<void> {
    const now = this.now();
    slot.lastFlushMs = now;
    const batch = slot.stats.flush(now);
    if (!batch) return;
    const txn = await slot.producer.transaction();
    try {
      await txn.send({
        topic: customerStatsTopic(slot.id),
        messages: batch.records.map((r) => ({ key: r.key, value: JSON.stringify(r.value) })),
      });
      await this.rollups?.(batch.records.map((r) => r.value));
      await txn.sendOffsets({
        consumerGroupId: this.config.groupId,
        topics: [
          {
            topic: CUSTOMER_TOPIC_PREFIX + slot.id,
            partitions: Object.entries(batch.checkpoint.partitions).map(([p, s]) => ({
              partition: Number(p),
              offset: String(s.next),
            })),
          },
        ],
      });
      await txn.commit();
    } catch (err) {
      await txn.abort().catch(() => undefined);
      // The in-memory windows are now ahead of what is committed: only a restart from the
      // last committed transaction is exact.
      const error = err instanceof Error ? err : new Error(String(err));
      this.log.error('statistics transaction failed', { customer: slot.id, error: error.message });
      this.fatal?.(error);
      throw error;
    }
    slot.stats.committed(batch);
    this.counters.flushes++;
    this.counters.recordsWritten += batch.records.length;
  }

  /** Runs `work` after the customer's earlier work; false when its state cannot be had yet. */
  private async withSlot(
    id: CustomerId,
    work: (slot: CustomerSlot) => Promise<void>,
  ): Promise<boolean> {
    let pending = this.slots.get(id);
    if (!pending) {
      pending = this.openSlot(id);
      this.slots.set(id, pending);
    }
    const slot = await pending;
    if (!slot) return false;
    const run = slot.chain.then(() => work(slot));
    slot.chain = run.catch(() => undefined);
    await run;
    return true;
  }

  private async openSlot(id: CustomerId): Promise<CustomerSlot | undefined> {
    const producer = this.kafka.producer({
      transactionalId: `${this.config.groupId}.${id}`,
      maxInFlightRequests: 1,
      idempotent: true,
      transactionTimeout: 30_000,
    });
    try {
      await producer.connect();
      // Initialising the transactional id fences any earlier owner and ends its transaction,
      // so what is read next is the last committed state.
      const fence = await producer.transaction();
      await fence.abort();
      const stats = new CustomerStats(id, this.config);
      const tail = await readStatsTail(
        this.kafkaConfig,
        customerStatsTopic(id),
        (records) => latestCheckpoint(records) !== undefined,
      );
      stats.restore(tail);
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const topic = CUSTOMER_TOPIC_PREFIX + id;
        const ends = await admin.fetchTopicOffsets(topic);
        const restored = stats.positions();
        const [committed] = await admin.fetchOffsets({
          groupId: this.config.groupId,
          topics: [topic],
        });
        for (const end of ends) {
          const c = committed?.partitions.find((p) => p.partition === end.partition);
          const groupNext = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
          stats.track(end.partition, restored.get(end.partition) ?? groupNext, Number(end.high));
        }
      } finally {
        await admin.disconnect();
      }
      this.counters.customers++;
      this.log.info('customer statistics resumed', {
        customer: id,
        openWindows: stats.openWindows(),
        positions: Object.fromEntries(stats.positions()),
      });
      return { id, stats, producer, chain: Promise.resolve(), lastFlushMs: this.now() };
    } catch (err) {
      this.slots.delete(id);
      await producer.disconnect().catch(() => undefined);
      this.log.warn('customer statistics not resumable yet', {
        customer: id,
        error: err instanceof Error ? err.message : String(err),
      });
      return undefined;
    }
  }

  private async dropSlot(id: CustomerId): Promise<void> {
    const pending = this.slots.get(id);
    this.slots.delete(id);
    const slot = await pending;
    if (!slot) return;
    await slot.chain;
    await slot.producer.disconnect().catch(() => undefined);
    this.counters.customers--;
  }
}
