/**
 * The lines of one (customer, partition) waiting to become an object, and when to cut them.
 * Offsets are plain numbers: Kafka offsets stay far below 2^53.
 */
export interface PartitionBuffer {
  offsets: number[];
  timestamps: number[];
  lines: Buffer[];
  bytes: number;
  /** Wall-clock time the first line arrived in the archiver (the interval counts from it). */
  openedAtMs: number;
  /**
   * A boundary recorded earlier for this first offset (by this or another archiver): the
   * buffer must be cut exactly there, whatever the limits say.
   */
  targetLast?: number;
}

export interface Chunk {
  firstOffset: number;
  lastOffset: number;
  firstTimestampMs: number;
  lastTimestampMs: number;
  lines: Buffer[];
  bytes: number;
}

export interface FlushLimits {
  intervalMs: number;
  maxBytes: number;
  maxLines: number;
}

export function emptyBuffer(nowMs: number): PartitionBuffer {
  return { offsets: [], timestamps: [], lines: [], bytes: 0, openedAtMs: nowMs };
}

export function append(
  buf: PartitionBuffer,
  offset: number,
  timestampMs: number,
  line: Buffer,
): void {
  buf.offsets.push(offset);
  buf.timestamps.push(timestampMs);
  buf.lines.push(line);
  buf.bytes += line.length;
}

export function firstOffset(buf: PartitionBuffer): number | undefined {
  return buf.offsets[0];
}

/** Whether the buffer is to be cut now, and why. */
export function sealReason(
  buf: PartitionBuffer,
  limits: FlushLimits,
  nowMs: number,
): 'boundary' | 'lines' | 'bytes' | 'interval' | undefined {
  const n = buf.offsets.length;
  if (n === 0) return undefined;
  if (buf.targetLast !== undefined) {
    return buf.offsets[n - 1] >= buf.targetLast ? 'boundary' : undefined;
  }
  if (n >= limits.maxLines) return 'lines';
  if (buf.bytes >= limits.maxBytes) return 'bytes';
  if (nowMs - buf.openedAtMs >= limits.intervalMs) return 'interval';
  return undefined;
}

/**
 * Cuts the buffer after offset `last` (the whole buffer when `last` is its end): the chunk up
 * to `last` and what remains, which starts the next buffer.
 */
export function cut(
  buf: PartitionBuffer,
  last: number,
  nowMs: number,
): { chunk: Chunk; rest: PartitionBuffer } {
  let end = buf.offsets.length;
  while (end > 0 && buf.offsets[end - 1] > last) end--;
  if (end === 0) throw new Error(`cannot cut a buffer starting at ${buf.offsets[0]} after ${last}`);
  const lines = buf.lines.slice(0, end);
  let bytes = 0;
  for (const l of lines) bytes += l.length;
  const chunk: Chunk = {
    firstOffset: buf.offsets[0],
    lastOffset: buf.offsets[end - 1],
    firstTimestampMs: buf.timestamps[0],
    lastTimestampMs: buf.timestamps[end - 1],
    lines,
    bytes,
  };
  const rest = emptyBuffer(nowMs);
  rest.offsets = buf.offsets.slice(end);
  rest.timestamps = buf.timestamps.slice(end);
  rest.lines = buf.lines.slice(end);
  rest.bytes = buf.bytes - bytes;
  // The rest arrived earlier than now; its interval counts from the cut.
  return { chunk, rest };
}

/** How many times `min` to wait before retry number `attempt` (1-based), capped at `max`. */
export function backoffMs(attempt: number, min: number, max: number): number {
  return Math.min(max, min * 2 ** Math.min(20, Math.max(0, attempt - 1)));
}
