import { type Bucket, bucketRefilled, type BucketRule, takeToken } from './rate-limit.rules';

/** Buckets kept before full ones are swept out (keeps memory bounded under address churn). */
const SWEEP_AT = 10_000;

/**
 * Token buckets by key, in memory (one API instance's view), for one rule. `take` answers
 * undefined when the call may go ahead, else the milliseconds until it could.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweepAt = SWEEP_AT;

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): number | undefined {
    const now = this.now();
    if (this.buckets.size >= this.sweepAt) {
      this.sweep(now);
      // If most buckets are still in use, the next sweep waits for twice as many.
      this.sweepAt = Math.max(SWEEP_AT, this.buckets.size * 2);
    }
    const { bucket, retryAfterMs } = takeToken(this.buckets.get(key), now, this.rule);
    this.buckets.set(key, bucket);
    return retryAfterMs;
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucketRefilled(bucket, now, this.rule)) this.buckets.delete(key);
    }
  }
}
