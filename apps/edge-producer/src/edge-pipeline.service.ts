import {
  type CustomerCounters,
  DROP_INACTIVE,
  DROP_OVERSIZE,
  type EdgeConfig,
  type EdgeCounters,
  LineBatch,
  LineReader,
  LineRouter,
  ROUTED,
  type TenantTable,
} from '@logstream/edge';
import type { EdgeKafkaProducer } from './kafka-producer.service';
import type { RegistryFollower } from './registry-follower.service';
import type { LineSource, SourceEvent } from './sources/line-source.types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Lines handed to librdkafka in one call at most (a 256 KiB chunk holds ~1,000 log lines). */
const BATCH_LINES = 4096;

/**
 * Source → lines → routing → librdkafka, on bytes: no string and no Buffer per line. A chunk's
 * routed lines go to librdkafka in one call. When its queue is full the rest of the batch is
 * kept and reading pauses until there is room (backpressure), so nothing read is dropped for
 * lack of room.
 */
export class EdgePipeline {
  private reader: LineReader;
  private readonly router: LineRouter;
  private readonly batch = new LineBatch(BATCH_LINES);
  private lastCheckpoint = Date.now();
  private isStopping: () => boolean = () => false;
  /** Lines read but never handed to librdkafka (a stop while its queue was full). */
  private abandoned = 0;

  constructor(
    private readonly config: EdgeConfig,
    private readonly source: LineSource,
    private readonly producer: EdgeKafkaProducer,
    private readonly registry: RegistryFollower,
    table: TenantTable,
    private readonly counters: EdgeCounters,
    private readonly perCustomer: CustomerCounters,
  ) {
    this.reader = new LineReader(config.maxLineBytes);
    this.router = new LineRouter(table, config.maxLineBytes);
  }

  /**
   * Runs until the source ends (stdin at EOF) or is stopped. Nothing is read before the
   * registry is caught up: until then lines wait where they are (pipe, file), not in memory.
   */
  async run(isStopping: () => boolean): Promise<void> {
    this.isStopping = isStopping;
    await this.registry.caughtUp;
    if (isStopping()) return;
    for await (const event of this.source.events()) {
      await this.handle(event);
      if (this.config.file && Date.now() - this.lastCheckpoint >= this.config.file.checkpointMs) {
        await this.checkpoint();
      }
    }
    // The source ended by itself (EOF): its last line counts even without a newline.
    if (!isStopping() && this.reader.finish()) await this.lastLine();
  }

  /**
   * File sources: waits until Kafka acknowledged every line read so far, then records where
   * the first unread whole line starts. A crash later repeats at most the lines since.
   * Returns false when Kafka did not acknowledge in time (an outage): nothing is saved, and a
   * later checkpoint tries again. Throws when lines were lost for good (never saved past them).
   */
  async checkpoint(): Promise<boolean> {
    this.lastCheckpoint = Date.now();
    const position = this.source.positionAt?.(this.reader.unconsumedBytes);
    if (!position || !this.source.savePosition) return true;
    const acknowledged = await this.producer.flush(this.config.shutdownTimeoutMs).then(
      () => true,
      () => false,
    );
    this.failIfProducerFailed();
    if (this.abandoned > 0) {
      throw new Error(`${this.abandoned} lines read were not handed to Kafka; position not saved`);
    }
    if (acknowledged) await this.source.savePosition(position);
    return acknowledged;
  }

  private async handle(event: SourceEvent): Promise<void> {
    if (Buffer.isBuffer(event)) {
      this.counters.bytesRead += event.length;
      const reader = this.reader;
      reader.feed(event);
      while (reader.next()) {
        if (this.routeLine()) await this.submitAndRouteAgain();
      }
      await this.submit();
      return;
    }
    // The file source moved on: finish the old file's last line, or drop it when its rest
    // was truncated away.
    if (event.discardPartial) {
      this.reader = new LineReader(this.config.maxLineBytes);
    } else if (this.reader.finish()) {
      await this.lastLine();
    }
    await this.checkpoint();
  }

  private async lastLine(): Promise<void> {
    if (this.routeLine()) await this.submitAndRouteAgain();
    await this.submit();
  }

  /** The batch was full, or the line lies in another buffer (it was joined across chunks). */
  private async submitAndRouteAgain(): Promise<void> {
    await this.submit();
    this.routeLine();
  }

  /**
   * The per-line path: counts the line, and adds it to the batch when it is routed and the
   * batch can take it. Returns true when a routed line is left out because the batch could not
   * take it (the caller submits the batch and routes the line again).
   */
  private routeLine(): boolean {
    const { reader, router, counters, batch } = this;
    const outcome = router.route(reader.line, reader.start, reader.end, reader.oversize);
    if (outcome !== ROUTED) {
      counters.linesRead++;
      counters.dropped[outcome]++;
      // Per customer, only what a customer can be told about (docs/delivery-health.md).
      if (outcome === DROP_INACTIVE || outcome === DROP_OVERSIZE) this.countDrop(outcome);
      return false;
    }
    if (!batch.accepts(reader.line)) return true;
    const slot = (router.tenant as NonNullable<LineRouter['tenant']>).slot;
    const bytes = reader.end - router.valueStart;
    counters.linesRead++;
    counters.linesRouted++;
    counters.bytesRouted += bytes;
    this.perCustomer.routed(slot, bytes);
    batch.push(reader.line, slot, router.valueStart, reader.end);
    return false;
  }

  /** Off the routed path: drops are rare, and an oversize line may name no known customer. */
  private countDrop(outcome: typeof DROP_INACTIVE | typeof DROP_OVERSIZE): void {
    const tenant = this.router.tenant;
    if (tenant === undefined) return;
    if (outcome === DROP_INACTIVE) this.perCustomer.inactive(tenant.slot);
    else this.perCustomer.oversize(tenant.slot);
  }

  /** Hands the batch to the producer, waiting for queue room as long as it takes. */
  private async submit(): Promise<void> {
    const batch = this.batch;
    if (batch.count === 0) return;
    this.failIfProducerFailed();
    if (!this.producer.produce(batch)) {
      this.counters.queueFullEvents++;
      const started = Date.now();
      let giveUpAt = Number.POSITIVE_INFINITY;
      for (let delay = 5; batch.pending; delay = Math.min(delay * 2, 100)) {
        // Once stopping, room may still come (Kafka slow, not gone) until the shutdown limit.
        if (this.isStopping() && giveUpAt === Number.POSITIVE_INFINITY) {
          giveUpAt = Date.now() + this.config.shutdownTimeoutMs;
        }
        if (Date.now() >= giveUpAt) {
          this.abandoned += batch.untaken;
          throw new Error('stopped while the Kafka queue was full (is Kafka reachable?)');
        }
        this.producer.poll();
        await sleep(delay);
        this.producer.produce(batch);
      }
      this.counters.blockedMs += Date.now() - started;
    }
    batch.clear();
  }

  /** Stops reading (the process exits 1 and its supervisor restarts it). */
  private failIfProducerFailed(): void {
    const fatal = this.producer.fatalError;
    if (fatal !== undefined) throw new Error(`the Kafka producer failed for good: ${fatal}`);
  }
}
