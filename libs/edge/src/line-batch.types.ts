/**
 * Routed lines waiting to be handed to the producer in one call: line i is
 * `buf[starts[i], ends[i])`, for the topic in slot `slots[i]`. All lines of a batch lie in one
 * buffer (a chunk read from the source), so the batch holds no copy of any line.
 */
export class LineBatch {
  buf: Buffer = Buffer.alloc(0);
  readonly slots: Uint32Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  count = 0;
  private takenCount = 0;

  constructor(readonly capacity: number) {
    this.slots = new Uint32Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
  }

  /** Lines before this index were handed over already (the queue was full after them). */
  get taken(): number {
    return this.takenCount;
  }

  /** Whether a line in `buf` can join: not when full, nor when the batch is on another buffer. */
  accepts(buf: Buffer): boolean {
    return this.count === 0 || (this.count < this.capacity && buf === this.buf);
  }

  push(buf: Buffer, slot: number, start: number, end: number): void {
    if (!this.accepts(buf)) throw new Error('LineBatch.push: the batch does not accept this line');
    const i = this.count++;
    this.buf = buf;
    this.slots[i] = slot;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Records that the lines before `upTo` are handed over; it never goes back nor past count. */
  takenUpTo(upTo: number): void {
    if (!Number.isInteger(upTo) || upTo < this.takenCount || upTo > this.count) {
      throw new RangeError(
        `LineBatch.takenUpTo(${upTo}): must lie in [${this.takenCount}, ${this.count}]`,
      );
    }
    this.takenCount = upTo;
  }

  get pending(): boolean {
    return this.takenCount < this.count;
  }

  /** Lines not handed over yet. */
  get untaken(): number {
    return this.count - this.takenCount;
  }

  clear(): void {
    this.count = 0;
    this.takenCount = 0;
  }
}
