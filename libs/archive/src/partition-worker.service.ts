import type { ArchiveRepository } from '@logstream/persistence';
import type { Logger } from '@logstream/observability';
import { compressBody, type CodecLevels, contentType, joinLines } from './object-codec.rules';
import { archiveObjectKey, type Compression } from './object-key.rules';
import type { ObjectStore } from './object-store.service';
import {
  append,
  backoffMs,
  type Chunk,
  cut,
  emptyBuffer,
  type FlushLimits,
  type PartitionBuffer,
  sealReason,
} from './partition-buffer.rules';
import { classifyStoreError, type StoreFailure } from './store-errors.rules';

/** A customer's current settings as the archiver uses them. */
export interface ActiveArchive {
  customerId: string;
  settingsVersion: number;
  pathPrefix: string;
  hivePartitioning: boolean;
  compression: Compression;
  limits: FlushLimits;
  store: ObjectStore;
}

export interface PartitionWorkerDeps {
  repo: ArchiveRepository;
  log: Logger;
  levels: CodecLevels;
  retry: { minMs: number; maxMs: number };
  archive(customerId: string): ActiveArchive | undefined;
  /** Resolves after `ms`, or earlier when the customer's settings change. */
  waitForChange(customerId: string, ms: number): Promise<void>;
  commit(topic: string, partition: number, nextOffset: number): Promise<void>;
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
  uploaded(customerId: string, chunk: Chunk, objectBytes: number, seconds: number): void;
  failed(customerId: string, failure: StoreFailure): void;
  lost(customerId: string, lines: number): void;
  /** Restart the consumer: its group state is no longer trustworthy. */
  reset(reason: string): void;
}

export interface KafkaLine {
  offset: string;
  timestamp: string;
  value: Buffer | null;
}

/** Sealed chunks held while one uploads; past this the partition is paused. */
const MAX_SEALED = 2;

/**
 * One (customer, partition) in this instance: buffers lines in offset order, cuts chunks at
 * boundaries that every owner agrees on (recorded in archive_chunks before upload), uploads
 * them one at a time with retries, and commits the offset after each stored object.
 */
export class PartitionWorker {
  private buffer: PartitionBuffer | undefined;
  private readonly sealed: Array<{ chunk: Chunk; key: string }> = [];
  private lock: Promise<void> = Promise.resolve();
  private uploading = false;
  private stopped = false;
  private paused = false;
  private nextExpected: number | undefined;
  private opened = false;
  lastFailure: StoreFailure | undefined;
  recovering = false;
  /** Set when a catch-up ends, cleared by the status writer that reported it. */
  recoveredUnreported = false;
  private lag = 0;

  constructor(
    readonly customerId: string,
    readonly topic: string,
    readonly partition: number,
    private readonly deps: PartitionWorkerDeps,
  ) {}

  /** Appends a fetched batch (offset order). */
  onBatch(lines: readonly KafkaLine[], highWatermark: string): Promise<void> {
    return this.locked(async () => {
      for (const m of lines) {
        if (this.stopped) return;
        const offset = Number(m.offset);
        if (this.buffer === undefined) await this.open(offset);
        if (this.nextExpected !== undefined && offset > this.nextExpected) {
          // Kafka skipped ahead: the lines in between left retention before they were stored.
          this.deps.lost(this.customerId, offset - this.nextExpected);
        }
        this.nextExpected = offset + 1;
        append(this.buffer!, offset, Number(m.timestamp), m.value ?? Buffer.alloc(0));
        if (this.due()) await this.sealIfDue();
      }
      this.lag = Math.max(0, Number(highWatermark) - (this.nextExpected ?? 0));
    });
  }

  /** Cuts an aged buffer (the flush interval). */
  tick(): Promise<void> {
    if (this.buffer === undefined || this.buffer.offsets.length === 0) return Promise.resolve();
    return this.locked(() => this.sealIfDue());
  }

  /** Stops taking work; an upload in flight finishes but nothing is committed after it. */
  stop(): void {
    this.stopped = true;
  }

  bufferedLines(): number {
    return (
      (this.buffer?.lines.length ?? 0) + this.sealed.reduce((n, s) => n + s.chunk.lines.length, 0)
    );
  }

  /** Age of the oldest line not yet stored. */
  behindMs(nowMs: number): number {
    const oldest = this.sealed[0]?.chunk.firstTimestampMs ?? this.buffer?.timestamps[0];
    return oldest === undefined ? 0 : Math.max(0, nowMs - oldest);
  }

  private locked(fn: () => Promise<void>): Promise<void> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Starts a buffer at `offset`, adopting a boundary recorded for it earlier. */
  private async open(offset: number): Promise<void> {
    const { repo } = this.deps;
    if (!this.opened) {
      this.opened = true;
      const end = await repo.deliveredEnd(this.customerId, this.partition);
      if (end !== undefined) this.nextExpected = Number(end);
      if (end !== undefined && offset < Number(end)) this.nextExpected = offset;
    }
    this.buffer = emptyBuffer(Date.now());
    const held = await repo.findChunk(this.customerId, this.partition, BigInt(offset));
    if (held) this.buffer.targetLast = Number(held.lastOffset);
  }

  /** Whether the buffer is to be cut now: checked per line, so without awaiting. */
  private due(): boolean {
    const archive = this.deps.archive(this.customerId);
    return (
      archive !== undefined &&
      this.buffer !== undefined &&
      sealReason(this.buffer, archive.limits, Date.now()) !== undefined
    );
  }

  private async sealIfDue(): Promise<void> {
    const archive = this.deps.archive(this.customerId);
    const buf = this.buffer;
    if (!archive || !buf || this.stopped) return;
    const reason = sealReason(buf, archive.limits, Date.now());
    if (reason === undefined) return;
    const last = buf.targetLast ?? buf.offsets[buf.offsets.length - 1];
    let { chunk, rest } = cut(buf, last, Date.now());
    const key = archiveObjectKey({
      pathPrefix: archive.pathPrefix,
      hivePartitioning: archive.hivePartitioning,
      partition: this.partition,
      firstOffset: BigInt(chunk.firstOffset),
      firstTimestampMs: chunk.firstTimestampMs,
      lastTimestampMs: chunk.lastTimestampMs,
      compression: archive.compression,
    });
    const held = await this.deps.repo.claimChunk(this.customerId, this.partition, {
      firstOffset: BigInt(chunk.firstOffset),
      lastOffset: BigInt(chunk.lastOffset),
      objectKey: key,
      lines: chunk.lines.length,
      bytes: chunk.bytes,
    });
    const heldLast = Number(held.lastOffset);
    if (heldLast > chunk.lastOffset) {
      // Another owner cut this chunk longer: keep buffering up to its boundary.
      buf.targetLast = heldLast;
      return;
    }
    if (heldLast < chunk.lastOffset) ({ chunk, rest } = cut(buf, heldLast, Date.now()));
    this.sealed.push({ chunk, key: held.objectKey });
    if (rest.offsets.length > 0) {
      this.buffer = rest;
      const next = await this.deps.repo.findChunk(
        this.customerId,
        this.partition,
        BigInt(rest.offsets[0]),
      );
      if (next) rest.targetLast = Number(next.lastOffset);
    } else {
      this.buffer = undefined;
    }
    if (this.sealed.length >= MAX_SEALED && !this.paused) {
      this.paused = true;
      this.deps.pause(this.topic, this.partition);
    }
    void this.uploadLoop();
    // A rest that is itself due (a long batch) is cut on the next line or tick.
  }

  /**
   * The object is stored: commit the offset after it, then count it. A failure here (a
   * rebalance took the partition) loses nothing: the next owner re-uploads the same chunk to
   * the same key.
   */
  private async acknowledge(chunk: Chunk, objectBytes: number, seconds: number): Promise<void> {
    try {
      await this.deps.commit(this.topic, this.partition, chunk.lastOffset + 1);
      await this.deps.repo.recordUpload(
        this.customerId,
        this.partition,
        BigInt(chunk.firstOffset),
        objectBytes,
      );
      this.deps.uploaded(this.customerId, chunk, objectBytes, seconds);
    } catch (err) {
      this.deps.log.warn(
        'object stored but its offset commit failed; the next owner re-uploads it',
        {
          customer: this.customerId,
          partition: this.partition,
          firstOffset: chunk.firstOffset,
          error: err instanceof Error ? err.message : String(err),
        },
      );
      this.stop();
      this.deps.reset('an offset commit failed');
    }
  }

  private async uploadLoop(): Promise<void> {
    if (this.uploading) return;
    this.uploading = true;
    try {
      while (!this.stopped && this.sealed.length > 0) {
        const { chunk, key } = this.sealed[0];
        const compression: Compression = key.endsWith('.zst') ? 'zstd' : 'gzip';
        const body = await compressBody(
          joinLines(chunk.lines, chunk.bytes),
          compression,
          this.deps.levels,
        );
        for (let attempt = 1; ; attempt++) {
          if (this.stopped) return;
          const archive = this.deps.archive(this.customerId);
          if (!archive) {
            await this.deps.waitForChange(this.customerId, this.deps.retry.maxMs);
            continue;
          }
          const started = process.hrtime.bigint();
          try {
            await archive.store.put(key, body, contentType(compression));
          } catch (err) {
            if (this.stopped) return;
            const failure = classifyStoreError(err, archive.store.destination);
            this.lastFailure = failure;
            this.recovering = true;
            this.deps.failed(this.customerId, failure);
            const wait = backoffMs(
              attempt,
              this.deps.retry.minMs,
              failure.permanent ? this.deps.retry.maxMs * 2 : this.deps.retry.maxMs,
            );
            this.deps.log.warn('archive upload failed; retrying', {
              customer: this.customerId,
              partition: this.partition,
              key,
              attempt,
              retryInMs: wait,
              error: failure.message,
            });
            await this.deps.waitForChange(this.customerId, wait);
            continue;
          }
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          this.lastFailure = undefined;
          if (this.stopped) return;
          await this.acknowledge(chunk, body.length, seconds);
          break;
        }
        this.sealed.shift();
        if (this.paused && this.sealed.length < MAX_SEALED) {
          this.paused = false;
          this.deps.resume(this.topic, this.partition);
        }
        if (this.recovering && this.sealed.length === 0) {
          const limits = this.deps.archive(this.customerId)?.limits;
          if (!limits || this.lag <= limits.maxLines) {
            this.recovering = false;
            this.recoveredUnreported = true;
          }
        }
      }
    } finally {
      this.uploading = false;
    }
  }
}
