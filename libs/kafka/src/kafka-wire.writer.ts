/**
 * Kafka's fixed-layout (non-flexible) protocol encoding: big-endian integers, int16-prefixed
 * strings, int32-prefixed bytes and arrays. For the few requests no client library here sends
 * (AlterClientQuotas, DescribeClientQuotas) and for the isolation tests' hand-made requests.
 */
export class WireWriter {
  private readonly parts: Buffer[] = [];

  int8(v: number): this {
    return this.push(1, (b) => b.writeInt8(v));
  }
  int16(v: number): this {
    return this.push(2, (b) => b.writeInt16BE(v));
  }
  int32(v: number): this {
    return this.push(4, (b) => b.writeInt32BE(v));
  }
  int64(v: bigint): this {
    return this.push(8, (b) => b.writeBigInt64BE(v));
  }
  float64(v: number): this {
    return this.push(8, (b) => b.writeDoubleBE(v));
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const bytes = Buffer.from(v, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }
  bytes(v: Buffer): this {
    this.int32(v.length);
    this.parts.push(v);
    return this;
  }
  array<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
  private push(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    return this;
  }
}
