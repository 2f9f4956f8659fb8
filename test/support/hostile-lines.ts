import type { DropReason } from '@logstream/edge';
import type { CustomerId } from '@logstream/tenancy';

/** What the edge must do with one generated line: route it to a customer, or drop it. */
export type LineFate = { routedTo: CustomerId; value: Buffer } | { dropped: DropReason };

export interface HostileCustomers {
  enabled: CustomerId[];
  disabled: CustomerId[];
  /** Well-formed ids the registry does not know, many of them prefixes or extensions of known ones. */
  unknown: string[];
}

export interface HostileInput {
  bytes: Buffer;
  fates: LineFate[];
}

const MAX_LINE_BYTES = 1048576; // the edge's default --max-line-bytes
const UNICODE = ['ü', '€', '日本語', '🙂', 'e\u0301', '\u202e', '\ufeff', 'Ω'];

/**
 * Generates edge input from a seeded PRNG: lines whose fate is known by construction, mixing
 * binary payloads, NUL bytes, CRLF and CR, unicode, invalid and look-alike ids, lines over and
 * at the size limit, and a last line without a newline. Routed payloads start `seq=<n> `.
 */
export class HostileLineGenerator {
  private seq = 0;

  constructor(
    private readonly random: () => number,
    private readonly customers: HostileCustomers,
  ) {}

  input(lineCount: number): HostileInput {
    const parts: Buffer[] = [];
    const fates: LineFate[] = [];
    for (let i = 0; i < lineCount; i++) {
      const [line, fate] = this.line(i === 0);
      fates.push(fate);
      const last = i === lineCount - 1;
      // The last line has no terminator (it must not be empty then, or it is no line at all).
      if (last && line.length > 0) parts.push(line);
      else parts.push(line, Buffer.from(this.random() < 0.2 ? '\r\n' : '\n'));
    }
    return { bytes: Buffer.concat(parts), fates };
  }

  /** The input cut at random places, so lines straddle the chunks the edge reads. */
  chunks(bytes: Buffer): Buffer[] {
    const out: Buffer[] = [];
    for (let at = 0; at < bytes.length;) {
      const size = 1 + Math.floor(this.random() ** 3 * 256 * 1024);
      out.push(bytes.subarray(at, at + size));
      at += size;
    }
    return out;
  }

  private line(first: boolean): [Buffer, LineFate] {
    const r = this.random();
    const c = this.customers;
    if (first) return this.oversize(10 * 1048576); // a 10 MiB line
    if (r < 0.55) return this.routed(this.pick(c.enabled), this.payload());
    if (r < 0.553) return this.routedAtLimit();
    if (r < 0.556) return this.oversize(MAX_LINE_BYTES + 1 + Math.floor(this.random() * 4096));
    if (r < 0.65) return this.drop(this.withBody(this.pick(c.disabled)), 'inactive');
    if (r < 0.72) return this.drop(this.withBody(this.pick(c.unknown)), 'unknown_customer');
    if (r < 0.85) return this.drop(this.withBody(this.invalidId()), 'invalid_id');
    return this.malformed();
  }

  private routed(id: CustomerId, payload: Buffer): [Buffer, LineFate] {
    const value = Buffer.concat([Buffer.from(`seq=${this.seq++} `), payload]);
    return [Buffer.concat([Buffer.from(`${id} `), value]), { routedTo: id, value }];
  }

  /** A line exactly as long as the limit: still sent. */
  private routedAtLimit(): [Buffer, LineFate] {
    const id = this.pick(this.customers.enabled);
    const head = `${id} seq=${this.seq} `.length;
    return this.routed(id, this.binary(MAX_LINE_BYTES - head));
  }

  private oversize(length: number): [Buffer, LineFate] {
    const line = Buffer.alloc(length, 'x');
    line.write(`${this.pick(this.customers.enabled)} `);
    return [line, { dropped: 'oversize' }];
  }

  private drop(line: string | Buffer, reason: DropReason): [Buffer, LineFate] {
    return [Buffer.isBuffer(line) ? line : Buffer.from(line), { dropped: reason }];
  }

  private malformed(): [Buffer, LineFate] {
    const id = this.pick(this.customers.enabled);
    const noSpace = this.binary(1 + Math.floor(this.random() * 200));
    for (let i = 0; i < noSpace.length; i++) if (noSpace[i] === 0x20) noSpace[i] = 0x21;
    const cases: Array<string | Buffer> = [
      '', // empty line
      '\r', // CR only: the terminator's CR is removed, the line is empty
      id, // an id alone
      `${id} `, // an id and a space, nothing to send
      ` ${id} leading space`,
      `${id.toUpperCase()} `, // an invalid id, nothing to send
      noSpace,
    ];
    return this.drop(cases[Math.floor(this.random() * cases.length)], 'malformed');
  }

  private invalidId(): string {
    const id = this.pick(this.customers.enabled);
    const cases = [
      id.toUpperCase(),
      `${id.slice(0, 1).toUpperCase()}${id.slice(1)}`,
      `../${id}`,
      `${id}/../x`,
      `..`,
      `${id}é`,
      `${id}\u0000`,
      `${id}_x`,
      `-${id}`,
      `${id}-`,
      `${id}\t`,
      `${id}.`,
      'a'.repeat(64),
      `${id}${'-x'.repeat(32)}`.slice(0, 70),
    ];
    return cases[Math.floor(this.random() * cases.length)];
  }

  /** `<id> ` and a non-empty body of any bytes: a line to drop for its id alone. */
  private withBody(id: string): Buffer {
    return Buffer.concat([Buffer.from(`${id} x`), this.payload()]);
  }

  /** Bytes of any kind but a newline, never ending in CR (that would be taken as CRLF). */
  private payload(): Buffer {
    const r = this.random();
    let bytes: Buffer;
    if (r < 0.4) bytes = Buffer.from(`"GET /${this.seq}?q=a b HTTP/1.1" 200 ${this.random()}`);
    else if (r < 0.6) bytes = Buffer.from(this.unicode());
    else if (r < 0.9) bytes = this.binary(Math.floor(this.random() * 300));
    else bytes = this.binary(Math.floor(this.random() * 64 * 1024));
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d)
      bytes = Buffer.concat([bytes, Buffer.from('.')]);
    return bytes;
  }

  private unicode(): string {
    let s = '';
    for (let n = Math.floor(this.random() * 8); n >= 0; n--) {
      s += `${this.pick(UNICODE)}${this.random() < 0.3 ? '\r' : ''}${this.random() < 0.3 ? '\u0000' : ' '}`;
    }
    return s;
  }

  /** Random bytes, NUL and CR included, newline excluded. */
  private binary(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      const b = Math.floor(this.random() * 256);
      out[i] = b === 0x0a ? 0x00 : b;
    }
    if (length > 0 && out[length - 1] === 0x0d) out[length - 1] = 0x2e;
    return out;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
}
