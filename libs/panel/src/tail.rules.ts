/** Longest filter accepted; longer ones are refused rather than cut. */
export const MAX_FILTER_LENGTH = 200;
/** Longest line sent to the browser; the rest is cut (a tail is for looking, not for export of record). */
export const MAX_TAIL_LINE_CHARS = 4000;

/** The filter as matched: trimmed and lower-cased; undefined when it is not acceptable. */
export function normaliseFilter(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string' || raw.length > MAX_FILTER_LENGTH) return undefined;
  return raw.trim().toLowerCase();
}

/** Case-insensitive substring match; the empty filter matches every line. */
export function lineMatches(line: string, filter: string): boolean {
  return filter === '' || line.toLowerCase().includes(filter);
}

export function clipLine(line: string): string {
  return line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}…` : line;
}

export interface SampleDecision {
  send: boolean;
  /** Set when the sampling rate changed: from now on 1 line in `rate` is sent. */
  rate?: number;
}

/**
 * Keeps a tail under `maxPerSecond` lines/s. The matched lines of each one-second window set
 * the rate of the next: 1 in ceil(seen / max), so a sustained flood shows an even sample
 * instead of each second's first lines only; within a window never more than `maxPerSecond`
 * are sent. {@link tick} closes windows while no line arrives, so the rate also falls back.
 */
export class TailSampler {
  private windowStart: number | undefined;
  private seenInWindow = 0;
  private sentInWindow = 0;
  private rate = 1;

  constructor(private readonly maxPerSecond: number) {}

  get currentRate(): number {
    return this.rate;
  }

  /** Closes the current window once a second has passed; returns the new rate if it changed. */
  tick(nowMs: number): number | undefined {
    if (this.windowStart === undefined) {
      this.windowStart = nowMs;
      return undefined;
    }
    const elapsed = Math.floor((nowMs - this.windowStart) / 1000);
    if (elapsed < 1) return undefined;
    // Windows that passed with nothing seen count as quiet: the flood is over.
    const seen = elapsed === 1 ? this.seenInWindow : 0;
    const next = Math.max(1, Math.ceil(seen / this.maxPerSecond));
    this.windowStart += elapsed * 1000;
    this.seenInWindow = 0;
    this.sentInWindow = 0;
    if (next === this.rate) return undefined;
    this.rate = next;
    return next;
  }

  offer(nowMs: number): SampleDecision {
    const changed = this.tick(nowMs);
    const pick = this.seenInWindow % this.rate === 0 && this.sentInWindow < this.maxPerSecond;
    this.seenInWindow++;
    if (pick) this.sentInWindow++;
    return changed === undefined ? { send: pick } : { send: pick, rate: changed };
  }
}

/** One server-sent event; data is JSON on one line (JSON never contains a raw newline). */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
