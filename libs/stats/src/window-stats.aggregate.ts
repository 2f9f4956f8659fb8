import { HyperLogLog } from './hyperloglog.sketch';
import { bytesKey, hllHashOfKey, ipKey } from './key-hash.rules';
import type { ParsedLine } from './log-format.rules';
import { SpaceSaving } from './space-saving.sketch';
import {
  GRANULARITY_MS,
  STATS_RECORD_SCHEMA,
  STATUS_CLASSES,
  TOP_LISTS,
  type Granularity,
  type StatsCheckpoint,
  type StatsRecord,
  type StatusClass,
  type TopListName,
} from './stats-record.types';

export interface SketchOptions {
  hllPrecision: number;
  /** Space-Saving counters per top list. */
  counterCapacity: number;
  /** Entries reported per top list. */
  topN: number;
}

export const DEFAULT_SKETCH_OPTIONS: SketchOptions = {
  hllPrecision: 14,
  counterCapacity: 100,
  topN: 20,
};

function labelKey(list: TopListName): (label: string) => number {
  return (label) => {
    const b = Buffer.from(label, 'utf8');
    return list === 'clientIps' || list === 'clientIps4xx'
      ? ipKey(b, 0, b.length)
      : bytesKey(b, 0, b.length);
  };
}

/** A line's sketch keys (-1: the line has no such field). Reused between lines. */
export interface LineKeys {
  ip: number;
  ipHash: number;
  host: number;
  path: number;
}

export function lineKeys(buf: Buffer, line: ParsedLine, out: LineKeys): LineKeys {
  if (line.ipEnd > line.ipStart) {
    out.ip = ipKey(buf, line.ipStart, line.ipEnd);
    out.ipHash = hllHashOfKey(out.ip);
  } else {
    out.ip = -1;
  }
  out.host = line.hostEnd > line.hostStart ? bytesKey(buf, line.hostStart, line.hostEnd) : -1;
  out.path = line.pathEnd > line.pathStart ? bytesKey(buf, line.pathStart, line.pathEnd) : -1;
  return out;
}

/** One customer's statistics for one window of one granularity. */
export class WindowStats {
  requests = 0;
  bytes = 0;
  late = 0;
  unparsed = 0;
  readonly status = new Float64Array(600);
  readonly hll: HyperLogLog;
  readonly tops: Record<TopListName, SpaceSaving>;

  constructor(
    readonly customerId: string,
    readonly granularity: Granularity,
    readonly startMs: number,
    readonly options: SketchOptions,
    restored?: { hll: HyperLogLog; tops: Record<TopListName, SpaceSaving> },
  ) {
    this.hll = restored?.hll ?? new HyperLogLog(options.hllPrecision);
    this.tops = restored?.tops ?? {
      hosts: new SpaceSaving(options.counterCapacity),
      paths: new SpaceSaving(options.counterCapacity),
      clientIps: new SpaceSaving(options.counterCapacity),
      clientIps4xx: new SpaceSaving(options.counterCapacity),
    };
  }

  get endMs(): number {
    return this.startMs + GRANULARITY_MS[this.granularity];
  }

  /** Adds a parsed line whose keys {@link lineKeys} computed (once for every window). */
  add(buf: Buffer, line: ParsedLine, keys: LineKeys): void {
    this.requests++;
    this.bytes += line.bytes;
    this.status[line.status]++;
    if (keys.ip >= 0) {
      this.hll.add(keys.ipHash);
      this.tops.clientIps.offerBytes(keys.ip, 1, buf, line.ipStart, line.ipEnd);
      if (line.status >= 400 && line.status < 500) {
        this.tops.clientIps4xx.offerBytes(keys.ip, 1, buf, line.ipStart, line.ipEnd);
      }
    }
    if (keys.host >= 0) this.tops.hosts.offerBytes(keys.host, 1, buf, line.hostStart, line.hostEnd);
    if (keys.path >= 0) this.tops.paths.offerBytes(keys.path, 1, buf, line.pathStart, line.pathEnd);
  }

  toRecord(final: boolean, checkpoint: StatsCheckpoint): StatsRecord {
    const status: Record<string, number> = {};
    const statusClass = Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0])) as Record<
      StatusClass,
      number
    >;
    for (let code = 100; code < 600; code++) {
      const n = this.status[code];
      if (n === 0) continue;
      status[String(code)] = n;
      statusClass[STATUS_CLASSES[Math.floor(code / 100) - 1]] += n;
    }
    const top = {} as StatsRecord['top'];
    const counters = {} as StatsRecord['state']['counters'];
    for (const list of TOP_LISTS) {
      const sketch = this.tops[list];
      const entries = sketch.entries();
      top[list] = { entries: entries.slice(0, this.options.topN), maxError: sketch.maxError() };
      counters[list] = { total: sketch.total, entries };
    }
    return {
      schema: STATS_RECORD_SCHEMA,
      customerId: this.customerId,
      granularity: this.granularity,
      windowStart: new Date(this.startMs).toISOString(),
      windowEnd: new Date(this.endMs).toISOString(),
      final,
      requests: this.requests,
      bytes: this.bytes,
      status,
      statusClass,
      uniqueVisitors: {
        estimate: this.hll.estimate(),
        relativeStandardError: HyperLogLog.standardError(this.hll.precision),
      },
      late: this.late,
      unparsed: this.unparsed,
      top,
      state: {
        hllPrecision: this.hll.precision,
        hll: this.hll.serialize(),
        counterCapacity: this.options.counterCapacity,
        counters,
        checkpoint,
      },
    };
  }

  /** The window as it was when `record` was written (sketches included). */
  static fromRecord(record: StatsRecord, options: SketchOptions): WindowStats {
    const { state } = record;
    const tops = {} as Record<TopListName, SpaceSaving>;
    for (const list of TOP_LISTS) {
      const saved = state.counters[list];
      tops[list] = SpaceSaving.restore(
        state.counterCapacity,
        saved.total,
        saved.entries,
        labelKey(list),
      );
    }
    const w = new WindowStats(
      record.customerId,
      record.granularity,
      Date.parse(record.windowStart),
      { ...options, hllPrecision: state.hllPrecision, counterCapacity: state.counterCapacity },
      { hll: HyperLogLog.deserialize(state.hllPrecision, state.hll), tops },
    );
    w.requests = record.requests;
    w.bytes = record.bytes;
    w.late = record.late;
    w.unparsed = record.unparsed;
    for (const [code, n] of Object.entries(record.status)) w.status[Number(code)] = n;
    return w;
  }
}
