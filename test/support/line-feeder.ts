import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Writes lines into an edge producer's stdin at a steady rate, the way a log writer would, and
 * measures the backpressure it meets: when the edge stops reading, the pipe fills and `write`
 * must wait for `drain`. The longest such wait is the longest reading stall the writer saw.
 */
export class LineFeeder {
  sent = 0;
  /** Longest and total time spent waiting for the edge to read again. */
  longestStallMs = 0;
  stalledMs = 0;
  private sending = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    /** The line with sequence number `seq`, newline included. */
    private readonly line: (seq: number) => string,
    private readonly linesPerSecond: number,
  ) {}

  /** A write error (the edge went away, EPIPE); writing stops. */
  error: Error | undefined;

  start(): void {
    this.out.on('error', (err: Error) => {
      this.error = err;
      this.sending = false;
    });
    this.sending = true;
    this.loop = this.run();
  }

  /** Stops writing and closes the stream (EOF: the edge flushes and exits). */
  async stop(): Promise<number> {
    this.sending = false;
    await this.loop;
    return this.sent;
  }

  private async run(): Promise<void> {
    const started = Date.now();
    while (this.sending) {
      // Lines due by now; after a stall they go out at once, as a buffering writer's would.
      const due = Math.floor(((Date.now() - started) * this.linesPerSecond) / 1000) - this.sent;
      if (due > 0) {
        let chunk = '';
        for (let i = 0; i < due; i++) chunk += this.line(this.sent + i);
        this.sent += due;
        if (!this.out.write(chunk)) {
          const waitStarted = Date.now();
          await new Promise<void>((resolve) => {
            this.out.once('drain', resolve);
            this.out.once('close', resolve);
            this.out.once('error', () => resolve());
          });
          const waited = Date.now() - waitStarted;
          this.stalledMs += waited;
          this.longestStallMs = Math.max(this.longestStallMs, waited);
        }
      }
      await sleep(10);
    }
    if (!this.error) await new Promise<void>((resolve) => this.out.end(resolve));
  }
}
