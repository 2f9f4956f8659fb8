import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

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

export interface Segment {
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
export const CURSOR_FILE = 'cursor';
export const LOCK_FILE = 'lock';
/** ack segment, ack offset, read segment, read offset: f64 each, rewritten in place. */
export const CURSOR_BYTES = 32;

export type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * Two edges on one spool would each send the other's lines: the directory holds the pid of its
 * edge. A lock whose process is gone (a crash) is taken over.
 */
export function takeLock(file: string): void {
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

export function segmentName(seq: number): string {
  return `${String(seq).padStart(12, '0')}${SEGMENT_SUFFIX}`;
}
