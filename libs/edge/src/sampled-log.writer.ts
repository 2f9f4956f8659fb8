export type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * At most one line every `everyMs` (per instance): a broker outage makes librdkafka report the
 * same error many times a second, and the log must stay readable. A line that follows
 * suppressed ones says how many there were.
 */
export class SampledLog {
  private last = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly log: Log,
    private readonly everyMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  write(message: string, fields: Record<string, unknown> = {}): void {
    const now = this.now();
    if (now - this.last < this.everyMs) {
      this.suppressed++;
      return;
    }
    this.last = now;
    const extra = this.suppressed > 0 ? { suppressed: this.suppressed } : {};
    this.suppressed = 0;
    this.log(message, { ...fields, ...extra });
  }
}
