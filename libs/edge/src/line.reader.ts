import { ID_MAX_BYTES } from './customer-id-bytes.rules';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const EMPTY = Buffer.alloc(0);

/** A carry buffer larger than this is let go once its line is out (a long line was held). */
const CARRY_KEEP_BYTES = 64 * 1024;
/** Of an oversize line, its first bytes are kept: enough for the longest id and its space. */
const OVERSIZE_HEAD_BYTES = ID_MAX_BYTES + 1;

/**
 * Cuts a byte stream into lines without copying: a line inside one chunk is a window on that
 * chunk; only a line split across chunks is copied, into one carry buffer (never by holding
 * the chunks: a slowly written line would pin one whole read buffer per partial read). Lines end with "\n"; a "\r" before it is
 * removed. A line longer than the limit is never held in memory: its bytes are skipped until
 * its end and it comes out as one line flagged {@link oversize}.
 *
 * Use: `feed(chunk)`, then `next()` until it returns false, then feed the next chunk; at the
 * end of a stream, `finish()` yields an unterminated last line, if there is one.
 */
export class LineReader {
  /** The current line is `line[start, end)`. */
  line: Buffer = EMPTY;
  start = 0;
  end = 0;
  /**
   * The current line was longer than the limit; its bytes are not available, only its head
   * (`line[start, end)` is then at most its first {@link OVERSIZE_HEAD_BYTES} bytes, so the
   * customer it names can be told).
   */
  oversize = false;

  private chunk: Buffer = EMPTY;
  private pos = 0;
  private carry: Buffer = EMPTY;
  private carryBytes = 0;
  /** Bytes of an oversize line skipped so far (its end not seen yet). */
  private skipped = 0;
  private skipping = false;
  private readonly head = Buffer.allocUnsafe(OVERSIZE_HEAD_BYTES);
  private headBytes = 0;

  constructor(readonly maxLineBytes: number) {}

  feed(chunk: Buffer): void {
    if (this.pos < this.chunk.length) {
      throw new Error('LineReader.feed: the previous chunk still holds lines');
    }
    this.chunk = chunk;
    this.pos = 0;
  }

  /** Moves to the next complete line; false when the chunk holds no more. */
  next(): boolean {
    const chunk = this.chunk;
    const pos = this.pos;
    if (pos >= chunk.length) return false;
    const nl = chunk.indexOf(NEWLINE, pos);
    if (nl === -1) {
      this.hold(chunk, pos, chunk.length);
      this.pos = chunk.length;
      return false;
    }
    this.pos = nl + 1;
    if (this.skipping) {
      this.clearCarry();
      this.setOversize();
    } else if (this.carryBytes === 0) {
      this.set(chunk, pos, nl);
    } else if (this.carryBytes + (nl - pos) > this.maxLineBytes + 1) {
      this.keepHead(chunk, pos, nl);
      this.clearCarry();
      this.setOversize();
    } else {
      const joined = Buffer.allocUnsafe(this.carryBytes + (nl - pos));
      this.carry.copy(joined, 0, 0, this.carryBytes);
      chunk.copy(joined, this.carryBytes, pos, nl);
      this.clearCarry();
      this.set(joined, 0, joined.length);
    }
    return true;
  }

  /** At the end of a stream: the last line if it had no "\n"; false when there is none. */
  finish(): boolean {
    if (this.pos < this.chunk.length) {
      throw new Error('LineReader.finish: the current chunk still holds lines');
    }
    this.chunk = EMPTY;
    this.pos = 0;
    if (this.skipping) {
      this.clearCarry();
      this.setOversize();
      return true;
    }
    if (this.carryBytes === 0) return false;
    const joined = Buffer.from(this.carry.subarray(0, this.carryBytes));
    this.clearCarry();
    this.set(joined, 0, joined.length);
    return true;
  }

  /**
   * Bytes fed but not yet handed out as part of a line: a source's position minus this is where
   * reading has to resume for no line to be lost or repeated.
   */
  get unconsumedBytes(): number {
    return this.carryBytes + this.skipped + (this.chunk.length - this.pos);
  }

  private set(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CARRIAGE_RETURN) end--;
    this.line = buf;
    this.start = start;
    this.end = end;
    this.oversize = end - start > this.maxLineBytes;
  }

  private setOversize(): void {
    this.line = this.head;
    this.start = 0;
    this.end = this.headBytes;
    this.oversize = true;
  }

  /** The first bytes of the line made of the carry and `chunk[start, end)`. */
  private keepHead(chunk: Buffer, start: number, end: number): void {
    const fromCarry = Math.min(this.carryBytes, OVERSIZE_HEAD_BYTES);
    this.carry.copy(this.head, 0, 0, fromCarry);
    const fromChunk = Math.min(end - start, OVERSIZE_HEAD_BYTES - fromCarry);
    chunk.copy(this.head, fromCarry, start, start + fromChunk);
    this.headBytes = fromCarry + fromChunk;
  }

  /** Keeps the unterminated tail of a chunk, or starts skipping once it cannot fit a line. */
  private hold(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.skipping) {
      this.skipped += length;
      return;
    }
    // One byte of slack: a "\r" that the "\n" still to come would make part of the terminator.
    if (this.carryBytes + length > this.maxLineBytes + 1) {
      this.keepHead(chunk, start, end);
      this.skipping = true;
      this.skipped = this.carryBytes + length;
      this.carryBytes = 0;
      this.releaseLargeCarry();
      return;
    }
    const needed = this.carryBytes + length;
    if (needed > this.carry.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(Math.max(needed, this.carry.length * 2, 256), this.maxLineBytes + 1),
      );
      this.carry.copy(grown, 0, 0, this.carryBytes);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carryBytes, start, end);
    this.carryBytes = needed;
  }

  /** Bytes this reader holds of its own (the carry buffer), beyond the chunk it was fed. */
  get retainedBytes(): number {
    return this.carry.length;
  }

  private releaseLargeCarry(): void {
    if (this.carry.length > CARRY_KEEP_BYTES) this.carry = EMPTY;
  }

  private clearCarry(): void {
    this.carryBytes = 0;
    this.releaseLargeCarry();
    this.skipping = false;
    this.skipped = 0;
  }
}
