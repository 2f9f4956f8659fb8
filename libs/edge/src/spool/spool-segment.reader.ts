import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import {
  BLOCK_HEADER_BYTES,
  blockIntact,
  type BlockHeader,
  readBlockHeader,
} from './spool-block.format';
import type { Segment, SpoolBlock } from './spool-dir.files';

interface Mark {
  segment: number;
  offset: number;
}

export interface SegmentScan {
  segment: Segment;
  /** Lines between the acknowledged position and the read mark: read, maybe delivered. */
  repeatedLines: number;
  /** Where a torn tail (a crash mid-append) began, and how many bytes were cut off. */
  tornAt?: { offset: number; bytes: number };
}

/** The block header at `at`, read into `header` (a buffer of BLOCK_HEADER_BYTES). */
export function headerAt(fd: number, header: Buffer, at: number): BlockHeader | undefined {
  const n = readSync(fd, header, 0, BLOCK_HEADER_BYTES, at);
  return n === BLOCK_HEADER_BYTES ? readBlockHeader(header) : undefined;
}

/** The block at `at` of a segment `segmentBytes` long, or undefined when torn or garbled. */
export function readBlockAt(
  fd: number,
  header: Buffer,
  segmentBytes: number,
  at: number,
): SpoolBlock | undefined {
  const h = headerAt(fd, header, at);
  if (h === undefined || at + BLOCK_HEADER_BYTES + h.payloadBytes > segmentBytes) return undefined;
  const payload = Buffer.allocUnsafe(h.payloadBytes);
  let got = 0;
  while (got < payload.length) {
    const n = readSync(fd, payload, got, payload.length - got, at + BLOCK_HEADER_BYTES + got);
    if (n === 0) return undefined;
    got += n;
  }
  if (!blockIntact(header, h, payload)) return undefined;
  return { payload, lines: h.lines, writtenAt: h.writtenAt };
}

/**
 * Reads a segment's block headers: its lines, those before the acknowledged position (read
 * and delivered), and those between it and the read mark (read, maybe delivered: repeats).
 * A torn tail (a crash mid-append) is cut off in place.
 */
export function scanSegment(
  seq: number,
  file: string,
  ack: Mark,
  mark: Mark,
  header: Buffer,
): SegmentScan {
  const fd = openSync(file, 'r+');
  const size = fstatSync(fd).size;
  const segment: Segment = { seq, file, bytes: 0, lines: 0, linesRead: 0, firstAt: NaN };
  let repeatedLines = 0;
  let tornAt: SegmentScan['tornAt'];
  let at = 0;
  while (at < size) {
    const h = headerAt(fd, header, at);
    if (h === undefined || at + BLOCK_HEADER_BYTES + h.payloadBytes > size) {
      tornAt = { offset: at, bytes: size - at };
      ftruncateSync(fd, at);
      break;
    }
    if (segment.lines === 0) segment.firstAt = h.writtenAt;
    segment.lines += h.lines;
    const beforeAck = seq < ack.segment || (seq === ack.segment && at < ack.offset);
    const beforeMark = seq < mark.segment || (seq === mark.segment && at < mark.offset);
    if (beforeAck) segment.linesRead += h.lines;
    else if (beforeMark) repeatedLines += h.lines;
    at += BLOCK_HEADER_BYTES + h.payloadBytes;
  }
  segment.bytes = at;
  closeSync(fd);
  return { segment, repeatedLines, tornAt };
}
