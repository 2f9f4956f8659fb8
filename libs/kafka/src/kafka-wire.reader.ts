/** Reads what {@link WireWriter} writes: Kafka's fixed-layout (non-flexible) responses. */
export class WireReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  int8(): number {
    const v = this.buf.readInt8(this.offset);
    this.offset += 1;
    return v;
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  float64(): number {
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }
  string(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const v = this.buf.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return v;
  }
  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const v = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return v;
  }
  /** An array; a null one (length -1) reads as empty. */
  array<T>(each: () => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each());
    return out;
  }
}
