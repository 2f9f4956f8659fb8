import {
  close,
  closeSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import { BLOCK_HEADER_BYTES, readBlockHeader } from './spool-block.format';
import { headerAt, readBlockAt, scanSegment } from './spool-segment.reader';
import {
  CURSOR_BYTES,
  CURSOR_FILE,
  type DiskSpoolOptions,
  LOCK_FILE,
  type Log,
  type Segment,
  segmentName,
  type SpoolBlock,
  type SpoolPosition,
  type SpoolStats,
  takeLock,
} from './spool-dir.files';

/**
 * The edge's disk spool: lines a source could not wait with while the Kafka queue was full,
 * in segment files `NNNNNNNNNNNN.spool` of checksummed blocks (spool-block.format), read back
 * oldest first. A small cursor file records how far Kafka acknowledged (a restart reads again
 * from there) and how far reading got (so a restart knows how many lines it may repeat).
 * Everything is synchronous except fsync, which runs on libuv's pool: an append is one write
 * into the page cache.
 */
export class DiskSpool {
  readonly stats: SpoolStats = {
    spooledLines: 0,
    drainedLines: 0,
    droppedLines: 0,
    badBlocks: 0,
    repeatedLines: 0,
    appendMaxMs: 0,
  };
  private readonly segments: Segment[] = [];
  private totalBytes = 0;
  private writeFd: number | undefined;
  private dirty = false;
  private readSeq = 0;
  private readOffset = 0;
  private readFd: number | undefined;
  private readFdSeq = -1;
  /** Lines handed out by read() since open. */
  private linesRead = 0;
  /** Segment numbers only grow, across runs too (the cursor names them). */
  private nextSeq = 1;
  private acked: SpoolPosition = { segment: 0, offset: 0, lines: 0 };
  private readonly cursorFd: number;
  private readonly cursor = Buffer.alloc(CURSOR_BYTES);
  private readonly header = Buffer.alloc(BLOCK_HEADER_BYTES);
  private readonly pendingSyncs = new Map<number, { count: number; close: boolean }>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly options: DiskSpoolOptions,
    private readonly log: Log,
  ) {
    mkdirSync(options.dir, { recursive: true });
    takeLock(path.join(options.dir, LOCK_FILE));
    // Not 'a+': writes to an O_APPEND file ignore the position, and the cursor is rewritten in place.
    const cursorFile = path.join(options.dir, CURSOR_FILE);
    try {
      this.cursorFd = openSync(cursorFile, 'r+');
    } catch {
      this.cursorFd = openSync(cursorFile, 'w+');
    }
    this.timer = setInterval(() => this.syncNow(), options.fsyncMs);
    this.timer.unref();
  }

  /** Opens the spool in `dir`, with what an earlier run left there first in line. */
  static open(options: DiskSpoolOptions, log: Log): DiskSpool {
    const spool = new DiskSpool(options, log);
    spool.recover();
    return spool;
  }

  /** Bytes on disk (all segments, including read ones not yet acknowledged). */
  get bytes(): number {
    return this.totalBytes;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Lines appended and not yet read back. */
  get unreadLines(): number {
    let n = 0;
    for (const s of this.segments) n += s.lines - s.linesRead;
    return n;
  }

  get hasUnread(): boolean {
    return this.segments.some((s) => s.linesRead < s.lines);
  }

  /** Appends one finished block (SpoolBlockBuilder.finish); may drop the oldest segments. */
  append(block: Buffer): void {
    const header = readBlockHeader(block);
    if (header === undefined) throw new Error('DiskSpool.append: not a block');
    const started = performance.now();
    this.appendBlock(block, header.lines, header.writtenAt);
    const took = performance.now() - started;
    if (took > this.stats.appendMaxMs) this.stats.appendMaxMs = took;
  }

  private appendBlock(block: Buffer, lines: number, writtenAt: number): void {
    const size = block.length;
    if (size > this.options.maxBytes) {
      this.stats.droppedLines += lines;
      this.log('spool: block larger than the spool budget dropped', { lines });
      return;
    }
    while (this.totalBytes + size > this.options.maxBytes && this.segments.length > 0) {
      this.dropOldest();
    }
    let seg = this.writeFd === undefined ? undefined : this.segments[this.segments.length - 1];
    if (seg !== undefined && seg.bytes > 0 && seg.bytes + size > this.options.segmentBytes) {
      this.closeWrite();
      seg = undefined;
    }
    if (seg === undefined) seg = this.startSegment();
    let done = 0;
    while (done < size) done += writeSync(this.writeFd as number, block, done, size - done);
    if (seg.lines === 0) seg.firstAt = writtenAt;
    seg.bytes += size;
    seg.lines += lines;
    this.totalBytes += size;
    this.stats.spooledLines += lines;
    this.dirty = true;
  }

  /** The oldest block not read yet, or undefined when everything was read. */
  read(): SpoolBlock | undefined {
    for (;;) {
      const seg = this.segments.find((s) => s.seq >= this.readSeq);
      if (seg === undefined) return undefined;
      if (seg.seq !== this.readSeq) {
        this.readSeq = seg.seq;
        this.readOffset = 0;
      }
      if (this.readOffset >= seg.bytes) {
        if (seg === this.segments[this.segments.length - 1]) return undefined;
        this.readSeq = seg.seq + 1;
        this.readOffset = 0;
        continue;
      }
      const fd = this.readFdFor(seg);
      const block = readBlockAt(fd, this.header, seg.bytes, this.readOffset);
      if (block === undefined) {
        // Unreadable: nothing after it in this segment can be trusted (its length may be bad).
        const lost = seg.lines - seg.linesRead;
        this.stats.badBlocks++;
        this.stats.droppedLines += lost;
        this.log('spool: unreadable block, rest of the segment dropped', {
          segment: seg.file,
          offset: this.readOffset,
          lines: lost,
        });
        seg.linesRead = seg.lines;
        this.readOffset = seg.bytes;
        continue;
      }
      this.readOffset += BLOCK_HEADER_BYTES + block.payload.length;
      seg.linesRead += block.lines;
      this.linesRead += block.lines;
      this.writeCursor();
      return block;
    }
  }

  /** Where reading is now: acknowledge it ({@link ack}) once Kafka has every line before it. */
  position(): SpoolPosition {
    return { segment: this.readSeq, offset: this.readOffset, lines: this.linesRead };
  }

  /**
   * Kafka acknowledged every line before `pos`: a restart reads again from there, and segments
   * read to their end before it are deleted.
   */
  ack(pos: SpoolPosition): void {
    if (pos.lines > this.acked.lines) this.stats.drainedLines += pos.lines - this.acked.lines;
    this.acked = pos;
    while (this.segments.length > 0) {
      const seg = this.segments[0];
      const fullyRead =
        seg.seq < pos.segment || (seg.seq === pos.segment && pos.offset >= seg.bytes);
      if (!fullyRead || seg.linesRead < seg.lines) break;
      this.deleteOldest();
    }
    this.writeCursor();
    this.syncFd(this.cursorFd, false);
  }

  /**
   * When the oldest line not yet read was spooled (Unix ms), or undefined when none is left.
   * Reads one block header from the disk (page cache): call it from a metrics read, not per line.
   */
  oldestUnreadAt(): number | undefined {
    for (const seg of this.segments) {
      if (seg.linesRead >= seg.lines) continue;
      if (seg.seq !== this.readSeq || this.readOffset === 0) return seg.firstAt;
      const header = headerAt(this.readFdFor(seg), this.header, this.readOffset);
      return header?.writtenAt ?? seg.firstAt;
    }
    return undefined;
  }

  /** Syncs and closes everything (at a clean stop). */
  close(): void {
    clearInterval(this.timer);
    if (this.writeFd !== undefined) {
      fsyncSync(this.writeFd);
      closeSync(this.writeFd);
      this.writeFd = undefined;
    }
    this.closeRead();
    this.writeCursor();
    fsyncSync(this.cursorFd);
    closeSync(this.cursorFd);
    rmSync(path.join(this.options.dir, LOCK_FILE), { force: true });
  }

  /** Finds the segments an earlier run left, trims torn tails, and resumes at the cursor. */
  private recover(): void {
    const seqs = readdirSync(this.options.dir)
      .filter((f) => /^\d{12}\.spool$/.test(f))
      .map((f) => Number(f.slice(0, 12)))
      .sort((a, b) => a - b);
    const c = this.cursor;
    const got = readSync(this.cursorFd, c, 0, CURSOR_BYTES, 0);
    const ack = { segment: 0, offset: 0 };
    const mark = { segment: 0, offset: 0 };
    if (got === CURSOR_BYTES) {
      ack.segment = c.readDoubleLE(0);
      ack.offset = c.readDoubleLE(8);
      mark.segment = c.readDoubleLE(16);
      mark.offset = c.readDoubleLE(24);
    }
    this.nextSeq = Math.max(ack.segment, mark.segment, ...seqs) + 1;
    for (const seq of seqs) {
      const file = path.join(this.options.dir, segmentName(seq));
      if (seq < ack.segment) {
        unlinkSync(file); // acknowledged before a crash between the cursor and the delete
        continue;
      }
      const {
        segment: seg,
        repeatedLines,
        tornAt,
      } = scanSegment(seq, file, ack, mark, this.header);
      this.stats.repeatedLines += repeatedLines;
      if (tornAt !== undefined) {
        this.stats.badBlocks++;
        this.log('spool: torn tail cut off', { segment: file, ...tornAt });
      }
      if (seg.lines === 0) {
        unlinkSync(file);
        continue;
      }
      this.segments.push(seg);
      this.totalBytes += seg.bytes;
    }
    const first = this.segments[0];
    this.readSeq = first?.seq ?? 0;
    this.readOffset = first !== undefined && first.seq === ack.segment ? ack.offset : 0;
    this.acked = { segment: this.readSeq, offset: this.readOffset, lines: 0 };
    this.writeCursor();
    if (this.segments.length > 0) {
      this.log('spool: lines left by an earlier run, sent first', {
        segments: this.segments.length,
        bytes: this.totalBytes,
        lines: this.unreadLines,
        mayRepeat: this.stats.repeatedLines,
        badBlocks: this.stats.badBlocks,
      });
    }
  }

  private readFdFor(seg: Segment): number {
    if (this.readFd !== undefined && this.readFdSeq === seg.seq) return this.readFd;
    this.closeRead();
    this.readFd = openSync(seg.file, 'r');
    this.readFdSeq = seg.seq;
    return this.readFd;
  }

  private closeRead(): void {
    if (this.readFd !== undefined) closeSync(this.readFd);
    this.readFd = undefined;
    this.readFdSeq = -1;
  }

  private startSegment(): Segment {
    const seq = this.nextSeq++;
    const file = path.join(this.options.dir, segmentName(seq));
    this.writeFd = openSync(file, 'w');
    const seg: Segment = { seq, file, bytes: 0, lines: 0, linesRead: 0, firstAt: NaN };
    this.segments.push(seg);
    if (this.readSeq === 0) this.readSeq = seq;
    return seg;
  }

  /** The disk budget is full: the oldest lines go (counted), the newest are kept. */
  private dropOldest(): void {
    const seg = this.segments[0];
    const lost = seg.lines - seg.linesRead;
    this.stats.droppedLines += lost;
    this.deleteOldest();
    if (lost > 0) {
      this.log('spool full: oldest segment dropped', {
        segment: seg.file,
        lines: lost,
        maxBytes: this.options.maxBytes,
      });
    }
  }

  private deleteOldest(): void {
    const seg = this.segments.shift() as Segment;
    if (this.segments.length === 0 && this.writeFd !== undefined) this.closeWrite();
    if (this.readFdSeq === seg.seq) this.closeRead();
    if (this.readSeq === seg.seq) {
      this.readSeq = seg.seq + 1;
      this.readOffset = 0;
    }
    this.totalBytes -= seg.bytes;
    unlinkSync(seg.file);
  }

  private closeWrite(): void {
    const fd = this.writeFd as number;
    this.writeFd = undefined;
    this.dirty = false;
    this.syncFd(fd, true);
  }

  private syncNow(): void {
    if (!this.dirty || this.writeFd === undefined) return;
    this.dirty = false;
    this.syncFd(this.writeFd, false);
  }

  /** fsync on libuv's pool; `andClose` closes the fd once no fsync of it is running. */
  private syncFd(fd: number, andClose: boolean): void {
    const state = this.pendingSyncs.get(fd) ?? { count: 0, close: false };
    state.count++;
    state.close ||= andClose;
    this.pendingSyncs.set(fd, state);
    fsync(fd, (err) => {
      if (err) this.log('spool: fsync failed', { error: err.message });
      if (--state.count > 0) return;
      this.pendingSyncs.delete(fd);
      if (state.close) close(fd, () => undefined);
    });
  }

  private writeCursor(): void {
    const c = this.cursor;
    c.writeDoubleLE(this.acked.segment, 0);
    c.writeDoubleLE(this.acked.offset, 8);
    c.writeDoubleLE(this.readSeq, 16);
    c.writeDoubleLE(this.readOffset, 24);
    writeSync(this.cursorFd, c, 0, CURSOR_BYTES, 0);
  }
}
