import { type CompiledFormat, emptyParsedLine, parseLogLine } from './log-format.rules';
import {
  GRANULARITIES,
  GRANULARITY_MS,
  type Granularity,
  type StatsCheckpoint,
  type StatsRecord,
} from './stats-record.types';
import { type LineKeys, lineKeys, type SketchOptions, WindowStats } from './window-stats.aggregate';

export interface AggregatorOptions {
  format: CompiledFormat;
  /** How long after a window's end its lines may still arrive (ms); later ones count as late. */
  latenessMs: number;
  sketch: SketchOptions;
}

interface PartitionProgress {
  /** Next offset to read. */
  next: number;
  /** The partition's end when last fetched: at or past it, the partition is caught up. */
  high: number;
  maxEventMs: number;
}

export interface FlushBatch {
  /** Records to write: every open window (final false) and each window closed now (final). */
  records: Array<{ key: string; value: StatsRecord }>;
  checkpoint: StatsCheckpoint;
}

const NO_TIME = -1;

/**
 * One customer's statistics: all partitions of its topic feed the same windows (the
 * aggregator's group assigns a customer's partitions to one member). A window of granularity g
 * closes once every partition has shown it a line at least `lateness` past the window's end,
 * or has been read to its end with the clock past that point; a line for a closed window is
 * counted as late in the open window at the front.
 */
export class CustomerStats {
  private readonly windows: Record<Granularity, Map<number, WindowStats>> = {
    '10s': new Map(),
    '1m': new Map(),
  };
  private readonly partitions = new Map<number, PartitionProgress>();
  private closedBeforeMs: Record<Granularity, number> = { '10s': NO_TIME, '1m': NO_TIME };
  private maxEventMs = NO_TIME;
  private seq = 0;
  private dirty = false;
  private readonly line = emptyParsedLine();
  private readonly keys: LineKeys = { ip: -1, ipHash: 0, host: -1, path: -1 };
  /** The window the previous line went to, per granularity: most lines go to the same one. */
  private readonly recent: Record<Granularity, WindowStats | undefined> = {
    '10s': undefined,
    '1m': undefined,
  };
  lines = 0;

  constructor(
    readonly customerId: string,
    private readonly options: AggregatorOptions,
  ) {}

  /** Declares a partition and where reading starts, before any of its lines. */
  track(partition: number, next: number, high: number): void {
    const known = this.partitions.get(partition);
    if (known) {
      known.high = Math.max(known.high, high);
      return;
    }
    this.partitions.set(partition, { next, high, maxEventMs: NO_TIME });
  }

  /** Where reading of each tracked partition resumes. */
  positions(): Map<number, number> {
    return new Map([...this.partitions].map(([p, s]) => [p, s.next]));
  }

  /** Adds the line at `offset` of `partition`; `high` is the partition's end seen by the fetch. */
  ingest(partition: number, offset: number, high: number, value: Buffer, nowMs: number): void {
    let progress = this.partitions.get(partition);
    if (!progress) {
      progress = { next: offset, high, maxEventMs: NO_TIME };
      this.partitions.set(partition, progress);
    }
    progress.next = offset + 1;
    if (high > progress.high) progress.high = high;
    this.dirty = true;
    this.lines++;
    const line = this.line;
    let end = value.length;
    if (end > 0 && value[end - 1] === 0x0a) end--;
    if (end > 0 && value[end - 1] === 0x0d) end--;
    if (!parseLogLine(this.options.format, value, 0, end, line)) {
      for (const g of GRANULARITIES) this.anchor(g, nowMs).unparsed++;
      return;
    }
    const t = line.timeMs;
    if (t > progress.maxEventMs) progress.maxEventMs = t;
    if (t > this.maxEventMs) this.maxEventMs = t;
    const keys = lineKeys(value, line, this.keys);
    for (const g of GRANULARITIES) {
      const size = GRANULARITY_MS[g];
      const start = t - (t % size);
      if (start + size <= this.closedBeforeMs[g]) {
        this.anchor(g, nowMs).late++;
        continue;
      }
      let w = this.recent[g];
      if (w === undefined || w.startMs !== start) w = this.recent[g] = this.window(g, start);
      w.add(value, line, keys);
    }
  }

  /**
   * Closes the windows that are due at `nowMs` and returns what to write, or undefined when
   * nothing changed since the last flush.
   */
  flush(nowMs: number): FlushBatch | undefined {
    const closing = this.closeDue(nowMs);
    if (!this.dirty && closing.length === 0) return undefined;
    const checkpoint = this.checkpoint();
    const records: FlushBatch['records'] = [];
    for (const w of closing) {
      records.push({ key: recordKey(w), value: w.toRecord(true, checkpoint) });
    }
    for (const g of GRANULARITIES) {
      for (const w of this.windows[g].values()) {
        records.push({ key: recordKey(w), value: w.toRecord(false, checkpoint) });
      }
    }
    return { records, checkpoint };
  }

  /** Call once the batch from {@link flush} is committed. */
  committed(batch: FlushBatch): void {
    this.seq = batch.checkpoint.seq;
    this.dirty = false;
  }

  /** Resumes from the records of the last committed transaction (see {@link latestCheckpoint}). */
  restore(records: readonly StatsRecord[]): void {
    const latest = latestCheckpoint(records);
    if (!latest) return;
    const { checkpoint } = latest;
    this.seq = checkpoint.seq;
    this.closedBeforeMs = { ...checkpoint.closedBeforeMs };
    for (const [p, s] of Object.entries(checkpoint.partitions)) {
      this.partitions.set(Number(p), { next: s.next, high: s.next, maxEventMs: s.maxEventMs });
      if (s.maxEventMs > this.maxEventMs) this.maxEventMs = s.maxEventMs;
    }
    for (const record of latest.records) {
      if (record.final) continue;
      const w = WindowStats.fromRecord(record, this.options.sketch);
      this.windows[w.granularity].set(w.startMs, w);
    }
  }

  openWindows(): number {
    return this.windows['10s'].size + this.windows['1m'].size;
  }

  private checkpoint(): StatsCheckpoint {
    const partitions: StatsCheckpoint['partitions'] = {};
    for (const [p, s] of [...this.partitions].sort((a, b) => a[0] - b[0])) {
      partitions[String(p)] = { next: s.next, maxEventMs: s.maxEventMs };
    }
    return { seq: this.seq + 1, partitions, closedBeforeMs: { ...this.closedBeforeMs } };
  }

  /** The point in event time every partition has passed (or, read to its end, the clock has). */
  private frontier(nowMs: number): number {
    if (this.partitions.size === 0) return NO_TIME;
    let f = Infinity;
    for (const s of this.partitions.values()) {
      const caughtUp = s.next >= s.high;
      const p = caughtUp ? Math.max(s.maxEventMs, nowMs) : s.maxEventMs;
      if (p < f) f = p;
    }
    return f;
  }

  private closeDue(nowMs: number): WindowStats[] {
    const frontier = this.frontier(nowMs);
    if (frontier === NO_TIME) return [];
    const closing: WindowStats[] = [];
    for (const g of GRANULARITIES) {
      const size = GRANULARITY_MS[g];
      const edge = frontier - this.options.latenessMs;
      const closedBefore = edge - (((edge % size) + size) % size);
      if (closedBefore <= this.closedBeforeMs[g]) continue;
      this.closedBeforeMs[g] = closedBefore;
      for (const [start, w] of this.windows[g]) {
        if (w.endMs <= closedBefore) {
          closing.push(w);
          this.windows[g].delete(start);
          if (this.recent[g] === w) this.recent[g] = undefined;
        }
      }
    }
    return closing;
  }

  private window(g: Granularity, start: number): WindowStats {
    let w = this.windows[g].get(start);
    if (!w) {
      w = new WindowStats(this.customerId, g, start, this.options.sketch);
      this.windows[g].set(start, w);
    }
    return w;
  }

  /** The open window that late and unparsed lines are counted in: the newest event's, or later. */
  private anchor(g: Granularity, nowMs: number): WindowStats {
    const size = GRANULARITY_MS[g];
    const t = this.maxEventMs === NO_TIME ? nowMs : this.maxEventMs;
    const start = Math.max(t - (t % size), this.closedBeforeMs[g]);
    return this.window(g, start);
  }
}

function recordKey(w: WindowStats): string {
  return `${w.granularity}|${new Date(w.startMs).toISOString()}`;
}

/** The records written by the newest transaction among `records` (read_committed, any order). */
export function latestCheckpoint(
  records: readonly StatsRecord[],
): { checkpoint: StatsCheckpoint; records: StatsRecord[] } | undefined {
  let best: StatsCheckpoint | undefined;
  for (const r of records) {
    const c = r.state?.checkpoint;
    if (c && (!best || c.seq > best.seq)) best = c;
  }
  if (!best) return undefined;
  const seq = best.seq;
  return { checkpoint: best, records: records.filter((r) => r.state.checkpoint.seq === seq) };
}
