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
  /** Lines before this index were handed over already (the queue was full after them). */
  taken = 0;

  constructor(readonly capacity: number) {
    this.slots = new Uint32Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
  }

  /** Whether a line in `buf` can join: not when full, nor when the batch is on another buffer. */
  accepts(buf: Buffer): boolean {
    return this.count === 0 || (this.count < this.capacity && buf === this.buf);
  }

  push(buf: Buffer, slot: number, start: number, end: number): void {
    const i = this.count++;
    this.buf = buf;
    this.slots[i] = slot;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  get pending(): boolean {
    return this.taken < this.count;
  }

  clear(): void {
    this.count = 0;
    this.taken = 0;
  }
}
