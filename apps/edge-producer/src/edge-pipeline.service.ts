import {
  DROP_OVERSIZE,
  type EdgeConfig,
  type EdgeCounters,
  LineReader,
  LineRouter,
  ROUTED,
  type TenantTable,
} from '@logstream/edge';
import type { EdgeKafkaProducer } from './kafka-producer.service';
import type { RegistryFollower } from './registry-follower.service';
import type { LineSource, SourceEvent } from './sources/line-source.types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Source → lines → routing → librdkafka, on bytes: no string per line. When librdkafka's queue
 * is full the line is kept and reading pauses until there is room (backpressure), so nothing
 * read is dropped for lack of room.
 */
export class EdgePipeline {
  private reader: LineReader;
  private readonly router: LineRouter;
  private readonly key: Buffer;
  private blocked: { topic: string; value: Buffer } | undefined;
  private lastCheckpoint = Date.now();

  constructor(
    private readonly config: EdgeConfig,
    private readonly source: LineSource,
    private readonly producer: EdgeKafkaProducer,
    private readonly registry: RegistryFollower,
    table: TenantTable,
    private readonly counters: EdgeCounters,
  ) {
    this.reader = new LineReader(config.maxLineBytes);
    this.router = new LineRouter(table, config.maxLineBytes);
    this.key = Buffer.from(config.nodeId);
  }

  /**
   * Runs until the source ends (stdin at EOF) or is stopped. Nothing is read before the
   * registry is caught up: until then lines wait where they are (pipe, file), not in memory.
   * Returns whether the source ended by itself (then an unterminated last line was sent too).
   */
  async run(isStopping: () => boolean): Promise<void> {
    await this.registry.caughtUp;
    if (isStopping()) return;
    for await (const event of this.source.events()) {
      await this.handle(event);
      if (this.config.file && Date.now() - this.lastCheckpoint >= this.config.file.checkpointMs) {
        await this.checkpoint();
      }
    }
    // The source ended by itself (EOF): its last line counts even without a newline.
    if (!isStopping() && this.reader.finish()) {
      const wait = this.handleLine() ? this.waitForRoom() : undefined;
      if (wait) await wait;
    }
  }

  /**
   * File sources: waits until Kafka acknowledged every line read so far, then records where
   * the first unread whole line starts. A crash later repeats at most the lines since.
   */
  async checkpoint(): Promise<void> {
    this.lastCheckpoint = Date.now();
    const position = this.source.positionAt?.(this.reader.unconsumedBytes);
    if (!position || !this.source.savePosition) return;
    await this.producer.flush(this.config.shutdownTimeoutMs);
    await this.source.savePosition(position);
  }

  private async handle(event: SourceEvent): Promise<void> {
    if (Buffer.isBuffer(event)) {
      this.counters.bytesRead += event.length;
      this.reader.feed(event);
      const wait = this.continueLines();
      if (wait) await wait;
      return;
    }
    // The file source moved on: finish the old file's last line, or drop it when its rest
    // was truncated away.
    if (event.discardPartial) {
      this.reader = new LineReader(this.config.maxLineBytes);
    } else if (this.reader.finish()) {
      const wait = this.handleLine() ? this.waitForRoom() : undefined;
      if (wait) await wait;
    }
    await this.checkpoint();
  }

  /** Routes the chunk's lines; returns a promise only when it had to wait for queue room. */
  private continueLines(): Promise<void> | undefined {
    while (this.reader.next()) {
      if (this.handleLine()) return this.waitForRoom().then(() => this.continueLines());
    }
    return undefined;
  }

  /** The per-line path. Returns true when the line is held because the queue is full. */
  private handleLine(): boolean {
    const { reader, router, counters } = this;
    counters.linesRead++;
    if (reader.oversize) {
      counters.dropped[DROP_OVERSIZE]++;
      return false;
    }
    const outcome = router.route(reader.line, reader.start, reader.end);
    if (outcome !== ROUTED) {
      counters.dropped[outcome]++;
      return false;
    }
    const topic = (router.tenant as NonNullable<LineRouter['tenant']>).topic;
    const value = reader.line.subarray(router.valueStart, reader.end);
    if (this.producer.tryProduce(topic, value, this.key)) {
      counters.linesRouted++;
      counters.bytesRouted += value.length;
      return false;
    }
    this.blocked = { topic, value };
    return true;
  }

  private async waitForRoom(): Promise<void> {
    const line = this.blocked;
    if (!line) return;
    this.counters.queueFullEvents++;
    const started = Date.now();
    for (
      let delay = 5;
      !this.producer.tryProduce(line.topic, line.value, this.key);
      delay = Math.min(delay * 2, 100)
    ) {
      this.producer.poll();
      await sleep(delay);
    }
    this.blocked = undefined;
    this.counters.linesRouted++;
    this.counters.bytesRouted += line.value.length;
    this.counters.blockedMs += Date.now() - started;
  }
}
