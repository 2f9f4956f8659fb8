import {
  type CustomerCounters,
  type DiskSpool,
  DROP_INACTIVE,
  DROP_OVERSIZE,
  type EdgeConfig,
  type EdgeCounters,
  LineBatch,
  LineReader,
  LineRouter,
  ROUTED,
  SpoolBlockBuilder,
  type TenantTable,
} from '@logstream/edge';
import { customerIdOfTopic } from '@logstream/tenancy';
import type { EdgeKafkaProducer } from './kafka-producer.service';
import type { RegistryFollower } from './registry-follower.service';
import type { LineSource, SourceEvent } from './sources/line-source.types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Lines handed to librdkafka in one call at most (a 256 KiB chunk holds ~1,000 log lines). */
const BATCH_LINES = 4096;
/**
 * Spooled lines are acknowledged (the cursor moves, read segments go) after this many bytes or
 * this long, whichever comes first: what a crash of the edge can repeat is at most this much.
 */
export const SPOOL_COMMIT_BYTES = 4 * 1048576;
export const SPOOL_COMMIT_MS = 1000;

type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * Source → lines → routing → librdkafka, on bytes: no string and no Buffer per line. A chunk's
 * routed lines go to librdkafka in one call. When its queue is full the rest of the batch is
 * kept and reading pauses until there is room (backpressure), so nothing read is dropped for
 * lack of room. With a disk spool (stream sources) reading never pauses: from the first full
 * queue on, the batch's rest and every newer line go to the spool, and a drain loop sends them
 * on, oldest first, until the spool is empty; then lines go straight to librdkafka again.
 */
export class EdgePipeline {
  private reader: LineReader;
  private readonly router: LineRouter;
  private readonly batch = new LineBatch(BATCH_LINES);
  private lastCheckpoint = Date.now();
  private isStopping: () => boolean = () => false;
  /** Lines read but never handed to librdkafka (a stop while its queue was full). */
  private abandoned = 0;
  /** Lines go to the spool, not to librdkafka (which the drain loop feeds from the spool). */
  private spooling = false;
  private drainer: Promise<void> | undefined;
  private drainError: Error | undefined;
  private readonly block = new SpoolBlockBuilder();

  constructor(
    private readonly config: EdgeConfig,
    private readonly source: LineSource,
    private readonly producer: EdgeKafkaProducer,
    private readonly registry: RegistryFollower,
    private readonly table: TenantTable,
    private readonly counters: EdgeCounters,
    private readonly perCustomer: CustomerCounters,
    private readonly spool: DiskSpool | undefined,
    private readonly log: Log,
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
    // What an earlier run left in the spool goes before any new line.
    if (this.spool?.hasUnread) this.startSpooling();
    for await (const event of this.source.events()) {
      await this.handle(event);
      if (this.config.file && Date.now() - this.lastCheckpoint >= this.config.file.checkpointMs) {
        await this.checkpoint();
      }
    }
    // The source ended by itself (EOF): its last line counts even without a newline.
    if (!isStopping() && this.reader.finish()) await this.lastLine();
    // stdin at EOF: what was spooled is still sent (a stop leaves it on disk for the next run).
    await this.drainer;
    this.failIfDrainFailed();
  }

  /**
   * At exit: after the final flush succeeded (`delivered`), every line read from the spool is
   * acknowledged; unread ones stay on disk for the next run.
   */
  closeSpool(delivered: boolean): void {
    const spool = this.spool;
    if (!spool) return;
    if (delivered) spool.ack(spool.position());
    spool.close();
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
      this.failIfDrainFailed();
      while (reader.next()) {
        if (this.spooling) this.spoolLine();
        else if (this.routeLine(reader, this.batch)) await this.submitAndRouteAgain();
      }
      // Before any await: the drain loop may only see an empty spool once these lines are in.
      this.endBlock();
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
    if (this.spooling) this.spoolLine();
    else if (this.routeLine(this.reader, this.batch)) await this.submitAndRouteAgain();
    this.endBlock();
    await this.submit();
  }

  /** The batch was full, or the line lies in another buffer (it was joined across chunks). */
  private async submitAndRouteAgain(): Promise<void> {
    await this.submit();
    if (this.spooling) this.spoolLine();
    else this.routeLine(this.reader, this.batch);
  }

  /**
   * The per-line path: counts the line, and adds it to the batch when it is routed and the
   * batch can take it. Returns true when a routed line is left out because the batch could not
   * take it (the caller submits the batch and routes the line again).
   */
  private routeLine(reader: LineReader, batch: LineBatch): boolean {
    const { router, counters } = this;
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
      if (this.spool) {
        this.spoolUntaken();
        this.startSpooling();
        return;
      }
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

  /** The current line, raw (id included), into the block of this chunk's spooled lines. */
  private spoolLine(): void {
    const reader = this.reader;
    // An oversize line is only its head by now: dropped and counted as without a spool.
    if (reader.oversize) this.routeLine(reader, this.batch);
    else this.block.add(reader.line, reader.start, reader.end);
  }

  private endBlock(): void {
    const block = this.block.finish(Date.now());
    if (block !== undefined) (this.spool as DiskSpool).append(block);
    this.block.reset();
  }

  /**
   * The queue filled up in the middle of a batch: its rest goes to the spool first, raw again
   * (the id before the line), and is no longer counted as routed (it is when drained).
   */
  private spoolUntaken(): void {
    const batch = this.batch;
    for (let i = batch.taken; i < batch.count; i++) {
      const slot = batch.slots[i];
      const id = customerIdOfTopic(this.table.topicOfSlot(slot)) ?? '';
      const bytes = batch.ends[i] - batch.starts[i];
      this.block.add(batch.buf, batch.starts[i] - id.length - 1, batch.ends[i]);
      this.counters.linesRead--;
      this.counters.linesRouted--;
      this.counters.bytesRouted -= bytes;
      this.perCustomer.unrouted(slot, bytes);
    }
    batch.clear();
    this.endBlock();
  }

  private startSpooling(): void {
    if (this.spooling) return;
    this.spooling = true;
    this.log('spooling to disk until Kafka takes lines again', {
      unread: this.spool?.unreadLines,
    });
    this.drainer = this.drain().catch((err: unknown) => {
      this.drainError = err instanceof Error ? err : new Error('the spool drain failed');
    });
  }

  /**
   * Sends the spool on, block by block, through the same routing (a customer disabled since is
   * dropped as inactive), whenever librdkafka has room; back to direct sending once it is empty.
   */
  private async drain(): Promise<void> {
    const spool = this.spool as DiskSpool;
    const reader = new LineReader(this.config.maxLineBytes);
    const batch = new LineBatch(BATCH_LINES);
    let sinceCommit = 0;
    let lastCommit = Date.now();
    while (!this.isStopping()) {
      const block = spool.read();
      if (block === undefined) {
        if (!(await this.commitSpool())) {
          await sleep(100);
          continue;
        }
        lastCommit = Date.now();
        sinceCommit = 0;
        // Synchronous from here on: no source chunk can be spooled between check and switch.
        if (!spool.hasUnread) {
          this.spooling = false;
          this.log('spool drained: sending directly again', { drained: spool.stats.drainedLines });
          return;
        }
        continue;
      }
      reader.feed(block.payload);
      while (reader.next()) {
        if (!this.routeLine(reader, batch)) continue;
        if (!(await this.produceAll(batch))) return;
        this.routeLine(reader, batch);
      }
      if (!(await this.produceAll(batch))) return;
      sinceCommit += block.payload.length;
      if (sinceCommit >= SPOOL_COMMIT_BYTES || Date.now() - lastCommit >= SPOOL_COMMIT_MS) {
        if (await this.commitSpool()) {
          sinceCommit = 0;
          lastCommit = Date.now();
        }
      }
    }
  }

  /** Waits for queue room until the whole batch is handed over; false once stopping. */
  private async produceAll(batch: LineBatch): Promise<boolean> {
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      this.failIfProducerFailed();
      if (batch.count === 0 || this.producer.produce(batch)) break;
      if (this.isStopping()) return false;
      this.producer.poll();
      await sleep(delay);
    }
    batch.clear();
    return true;
  }

  /** Kafka acknowledged everything handed over: the spool's read position is made durable. */
  private async commitSpool(): Promise<boolean> {
    const spool = this.spool as DiskSpool;
    const position = spool.position();
    const acknowledged = await this.producer.flush(SPOOL_COMMIT_MS).then(
      () => true,
      () => false,
    );
    this.failIfProducerFailed();
    if (acknowledged) spool.ack(position);
    return acknowledged;
  }

  private failIfDrainFailed(): void {
    if (this.drainError === undefined) return;
    throw this.drainError;
  }

  /** Stops reading (the process exits 1 and its supervisor restarts it). */
  private failIfProducerFailed(): void {
    const fatal = this.producer.fatalError;
    if (fatal !== undefined) throw new Error(`the Kafka producer failed for good: ${fatal}`);
  }
}
