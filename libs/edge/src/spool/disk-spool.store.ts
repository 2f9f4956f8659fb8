import {
  close,
  closeSync,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import {
  BLOCK_HEADER_BYTES,
  blockIntact,
  type BlockHeader,
  readBlockHeader,
} from './spool-block.format';

export interface DiskSpoolOptions {
  dir: string;
  /** Disk budget: segments on disk never add up to more (the oldest are dropped first). */
  maxBytes: number;
  /** A segment is closed (and a new one begun) once it holds this much. */
  segmentBytes: number;
  /** How often appended blocks are fsynced (also on every segment roll). */
  fsyncMs: number;
}

/** Where the next block to read starts; `lines`: lines read from the spool up to there. */
export interface SpoolPosition {
  segment: number;
  offset: number;
  lines: number;
}

export interface SpoolBlock {
  /** Raw lines, each ending in "\n". */
  payload: Buffer;
  lines: number;
  writtenAt: number;
}

/** What the spool counted since it was opened (the metrics read it). */
export interface SpoolStats {
  spooledLines: number;
  /** Lines read back and acknowledged by Kafka ({@link DiskSpool.ack}). */
  drainedLines: number;
  /** Lines of segments dropped because the disk budget was full, or of unreadable blocks. */
  droppedLines: number;
  /** Blocks found torn or garbled (a crash mid-write, a bad disk): their lines are dropped. */
  badBlocks: number;
  /**
   * At open: lines read before the last crash or stop but not acknowledged, so read again.
   * Kafka may have them already: they are the lines a restart can repeat.
   */
  repeatedLines: number;
  /** The longest one append took (ms): how long the spool held the source up at most. */
  appendMaxMs: number;
}

interface Segment {
  seq: number;
  file: string;
  bytes: number;
  lines: number;
  /** Lines of this segment's blocks handed out by read(). */
  linesRead: number;
  /** When its first block was written (NaN while empty). */
  firstAt: number;
}

const SEGMENT_SUFFIX = '.spool';
const CURSOR_FILE = 'cursor';
const LOCK_FILE = 'lock';
/** ack segment, ack offset, read segment, read offset: f64 each, rewritten in place. */
const CURSOR_BYTES = 32;

type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * Two edges on one spool would each send the other's lines: the directory holds the pid of its
 * edge. A lock whose process is gone (a crash) is taken over.
 */
function takeLock(file: string): void {
  let holder = NaN;
  try {
    holder = Number(readFileSync(file, 'utf8'));
  } catch {
    // no lock yet
  }
  if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
    throw new Error(`the spool ${path.dirname(file)} is in use by process ${holder}`);
  }
  writeFileSync(file, String(process.pid));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function segmentName(seq: number): string {
  return `${String(seq).padStart(12, '0')}${SEGMENT_SUFFIX}`;
}

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
      const block = this.readBlockAt(fd, seg, this.readOffset);
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
      const header = this.headerAt(this.readFdFor(seg), this.readOffset);
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
      const seg = this.scan(seq, file, ack, mark);
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

  /**
   * Reads a segment's block headers: its lines, those before the acknowledged position (read
   * and delivered), and those between it and the read mark (read, maybe delivered: repeats).
   * A torn tail (a crash mid-append) is cut off.
   */
  private scan(
    seq: number,
    file: string,
    ack: { segment: number; offset: number },
    mark: { segment: number; offset: number },
  ): Segment {
    // r+: a torn tail is cut off in place.
    const fd = openSync(file, 'r+');
    const size = fstatSync(fd).size;
    const seg: Segment = { seq, file, bytes: 0, lines: 0, linesRead: 0, firstAt: NaN };
    let at = 0;
    while (at < size) {
      const h = this.headerAt(fd, at);
      if (h === undefined || at + BLOCK_HEADER_BYTES + h.payloadBytes > size) {
        this.stats.badBlocks++;
        this.log('spool: torn tail cut off', { segment: file, offset: at, bytes: size - at });
        ftruncateSync(fd, at);
        break;
      }
      if (seg.lines === 0) seg.firstAt = h.writtenAt;
      seg.lines += h.lines;
      const beforeAck = seq < ack.segment || (seq === ack.segment && at < ack.offset);
      const beforeMark = seq < mark.segment || (seq === mark.segment && at < mark.offset);
      if (beforeAck) seg.linesRead += h.lines;
      else if (beforeMark) this.stats.repeatedLines += h.lines;
      at += BLOCK_HEADER_BYTES + h.payloadBytes;
    }
    seg.bytes = at;
    closeSync(fd);
    return seg;
  }

  private headerAt(fd: number, at: number): BlockHeader | undefined {
    const n = readSync(fd, this.header, 0, BLOCK_HEADER_BYTES, at);
    return n === BLOCK_HEADER_BYTES ? readBlockHeader(this.header) : undefined;
  }

  private readBlockAt(fd: number, seg: Segment, at: number): SpoolBlock | undefined {
    const h = this.headerAt(fd, at);
    if (h === undefined || at + BLOCK_HEADER_BYTES + h.payloadBytes > seg.bytes) return undefined;
    const payload = Buffer.allocUnsafe(h.payloadBytes);
    let got = 0;
    while (got < payload.length) {
      const n = readSync(fd, payload, got, payload.length - got, at + BLOCK_HEADER_BYTES + got);
      if (n === 0) return undefined;
      got += n;
    }
    if (!blockIntact(this.header, h, payload)) return undefined;
    return { payload, lines: h.lines, writtenAt: h.writtenAt };
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
