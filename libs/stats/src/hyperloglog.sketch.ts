import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * HyperLogLog distinct counter (Flajolet et al. 2007) over 32-bit hashes, with the usual
 * small-range (linear counting) and 32-bit large-range corrections. With precision p there are
 * m = 2^p one-byte registers; the relative standard error is 1.04 / sqrt(m): 0.81% at p = 14
 * (16 KiB per sketch), so about 95% of estimates fall within 1.6% and 99.7% within 2.4%.
 * Sketches of the same precision merge exactly (register-wise max).
 */
export class HyperLogLog {
  readonly registers: Uint8Array;
  private readonly m: number;

  constructor(
    readonly precision = 14,
    registers?: Uint8Array,
  ) {
    if (!Number.isInteger(precision) || precision < 4 || precision > 18) {
      throw new Error(`HyperLogLog precision must be 4..18, got ${precision}`);
    }
    this.m = 1 << precision;
    if (registers && registers.length !== this.m) {
      throw new Error(`HyperLogLog of precision ${precision} needs ${this.m} registers`);
    }
    this.registers = registers ?? new Uint8Array(this.m);
  }

  static standardError(precision: number): number {
    return 1.04 / Math.sqrt(2 ** precision);
  }

  /** Adds one element by its 32-bit hash. */
  add(hash32: number): void {
    const p = this.precision;
    const index = hash32 >>> (32 - p);
    const rest = (hash32 << p) >>> 0;
    const rank = rest === 0 ? 33 - p : Math.clz32(rest) + 1;
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  merge(other: HyperLogLog): void {
    if (other.precision !== this.precision) throw new Error('HyperLogLog precisions differ');
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++) if (b[i] > a[i]) a[i] = b[i];
  }

  estimate(): number {
    const m = this.m;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.registers[i];
      sum += 1 / 2 ** r;
      if (r === 0) zeros++;
    }
    const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
    let e = (alpha * m * m) / sum;
    if (e <= 2.5 * m && zeros > 0) e = m * Math.log(m / zeros);
    else if (e > 4294967296 / 30) e = -4294967296 * Math.log(1 - e / 4294967296);
    return Math.round(e);
  }

  /** Registers deflated and base64-encoded (a sparse sketch packs to a few bytes). */
  serialize(): string {
    return deflateRawSync(this.registers).toString('base64');
  }

  static deserialize(precision: number, encoded: string): HyperLogLog {
    const raw = inflateRawSync(Buffer.from(encoded, 'base64'));
    return new HyperLogLog(precision, new Uint8Array(raw.buffer, raw.byteOffset, raw.length));
  }
}
