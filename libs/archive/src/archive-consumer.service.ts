import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@logstream/observability';
import { customerIdOfTopic } from '@logstream/tenancy';
import { PartitionWorker, type PartitionWorkerDeps } from './partition-worker.service';

export interface ArchiveConsumerOptions {
  groupId: string;
  topics: string[];
  sessionTimeoutMs: number;
  /** Partitions of different topics handled at once. */
  concurrency: number;
}

const FETCH_MAX_WAIT_MS = 500;

type WorkerDeps = Omit<PartitionWorkerDeps, 'commit' | 'pause' | 'resume'>;

/**
 * One run of the consumer group over a fixed set of customer topics. kafkajs subscribes only
 * before `run()`, so a change of the archived customers means a new ArchiveConsumer (the
 * archiver stops this one and starts another; the group rebalances, offsets stay).
 *
 * After every (re)join kafkajs fetches from the committed offsets again, so all partition
 * state is dropped and rebuilt; boundaries recorded in archive_chunks make the rebuilt chunks
 * identical to the ones cut before.
 */
export class ArchiveConsumer {
  private readonly consumer: Consumer;
  private workers = new Map<string, PartitionWorker>();
  private ticker: NodeJS.Timeout | undefined;
  private stopping = false;
  assigned = 0;

  constructor(
    kafka: Kafka,
    private readonly options: ArchiveConsumerOptions,
    private readonly deps: WorkerDeps,
    private readonly log: Logger,
    private readonly onCrash: (error: string) => void,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: Math.max(60_000, options.sessionTimeoutMs),
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      // With every assigned partition paused (uploads behind), kafkajs sleeps this long before
      // looking again, so a backfill would stall 5 s (its default) after each upload. A fetch
      // still answers as soon as one line exists, so a shorter wait costs only idle polls.
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      retry: { retries: 10 },
    });
  }

  async start(): Promise<void> {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, (e) => {
      this.resetWorkers();
      const assignment = e.payload.memberAssignment;
      // A partition paused by the worker just dropped (uploads failing) stays paused in kafkajs
      // across the rejoin when it is assigned here again: nothing would fetch it, and the
      // customer's archive would stall for good. Its new worker pauses it again if it must.
      const topics = Object.keys(assignment);
      if (topics.length > 0) this.consumer.resume(topics.map((topic) => ({ topic })));
      this.assigned = Object.values(assignment).reduce((n, p) => n + p.length, 0);
      this.log.info('archiver joined the group', { assignment, groupId: this.options.groupId });
    });
    this.consumer.on(events.CRASH, (e) => {
      this.resetWorkers();
      if (!e.payload.restart && !this.stopping) this.onCrash(e.payload.error.message);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.ticker = setInterval(() => {
      for (const w of this.workers.values()) {
        w.tick().catch((err: unknown) => this.workerError(w, err));
      }
    }, 500);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.ticker) clearInterval(this.ticker);
    this.resetWorkers();
    await this.consumer.disconnect();
  }

  allWorkers(): PartitionWorker[] {
    return [...this.workers.values()];
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!payload.isRunning() || payload.isStale() || this.stopping) return;
    const customerId = customerIdOfTopic(batch.topic);
    if (!customerId) return;
    const key = `${batch.topic}:${batch.partition}`;
    let worker = this.workers.get(key);
    if (!worker) {
      worker = new PartitionWorker(customerId, batch.topic, batch.partition, {
        ...this.deps,
        commit: (topic, partition, next) =>
          this.consumer.commitOffsets([{ topic, partition, offset: String(next) }]),
        pause: (topic, partition) => this.consumer.pause([{ topic, partitions: [partition] }]),
        resume: (topic, partition) => this.consumer.resume([{ topic, partitions: [partition] }]),
      });
      this.workers.set(key, worker);
    }
    try {
      await worker.onBatch(batch.messages, batch.highWatermark);
    } catch (err) {
      // The database is away: drop this partition's state; kafkajs fetches from the committed
      // offset again once the consumer restarts.
      worker.stop();
      this.workerError(worker, err);
      throw err;
    }
  }

  private workerError(worker: PartitionWorker, err: unknown): void {
    this.log.error('archive partition failed; restarting the consumer', {
      customer: worker.customerId,
      partition: worker.partition,
      error: err instanceof Error ? err.message : String(err),
    });
    this.deps.reset('a partition failed');
  }

  private resetWorkers(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers = new Map();
    this.assigned = 0;
  }
}
