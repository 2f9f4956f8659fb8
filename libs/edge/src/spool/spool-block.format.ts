import { crc32 } from './crc32.rules';

/**
 * One block of a spool segment: a 24-byte header, then the raw lines, each ending in "\n",
 * customer id included (they are routed again when drained). Little-endian:
 *
 *   0 magic u32 "LSP1" | 4 payload length u32 | 8 crc32 u32 of bytes 12.. | 12 line count u32 |
 *   16 written at, Unix ms f64 | 24 payload
 *
 * The crc covers the line count, the time and the payload, so a torn or garbled block is told
 * from a good one.
 */
export const BLOCK_MAGIC = 0x3150534c;
export const BLOCK_HEADER_BYTES = 24;
const NEWLINE = 0x0a;

export interface BlockHeader {
  payloadBytes: number;
  crc: number;
  lines: number;
  writtenAt: number;
}

/** The header at `buf[at, at + 24)`, or undefined when the magic is not there. */
export function readBlockHeader(buf: Buffer, at = 0): BlockHeader | undefined {
  if (buf.length - at < BLOCK_HEADER_BYTES || buf.readUInt32LE(at) !== BLOCK_MAGIC)
    return undefined;
  return {
    payloadBytes: buf.readUInt32LE(at + 4),
    crc: buf.readUInt32LE(at + 8),
    lines: buf.readUInt32LE(at + 12),
    writtenAt: buf.readDoubleLE(at + 16),
  };
}

/** Whether `payload` is what `header` (read from `headerBuf`) was written for. */
export function blockIntact(headerBuf: Buffer, header: BlockHeader, payload: Buffer): boolean {
  if (payload.length !== header.payloadBytes) return false;
  return crc32(payload, 0, payload.length, crc32(headerBuf, 12, BLOCK_HEADER_BYTES)) === header.crc;
}

/**
 * Collects lines into one block (header room first, so the block is written in one call).
 * The buffer is reused from block to block and grows to the largest block seen.
 */
export class SpoolBlockBuilder {
  private buf = Buffer.allocUnsafe(BLOCK_HEADER_BYTES + 256 * 1024);
  private used = BLOCK_HEADER_BYTES;
  lines = 0;

  add(line: Buffer, start: number, end: number): void {
    const need = this.used + (end - start) + 1;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    this.used += line.copy(this.buf, this.used, start, end);
    this.buf[this.used++] = NEWLINE;
    this.lines++;
  }

  /** The finished block (valid until the next add or reset), or undefined when it is empty. */
  finish(writtenAt: number): Buffer | undefined {
    if (this.lines === 0) return undefined;
    const b = this.buf;
    b.writeUInt32LE(BLOCK_MAGIC, 0);
    b.writeUInt32LE(this.used - BLOCK_HEADER_BYTES, 4);
    b.writeUInt32LE(this.lines, 12);
    b.writeDoubleLE(writtenAt, 16);
    b.writeUInt32LE(crc32(b, BLOCK_HEADER_BYTES, this.used, crc32(b, 12, BLOCK_HEADER_BYTES)), 8);
    return b.subarray(0, this.used);
  }

  reset(): void {
    this.used = BLOCK_HEADER_BYTES;
    this.lines = 0;
  }
}
