import type { CustomerId } from '@logstream/tenancy';

/**
 * Customers waiting to be reconciled, each at most once: a customer enqueued while it is being
 * reconciled runs once more afterwards (its state may have changed mid-way), never twice at
 * the same time. Runs up to `concurrency` reconciles in parallel.
 */
export class ReconcileQueue {
  private readonly pending = new Set<CustomerId>();
  private readonly running = new Set<CustomerId>();
  private readonly rerun = new Set<CustomerId>();
  private readonly timers = new Map<CustomerId, NodeJS.Timeout>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly work: (id: CustomerId) => Promise<void>,
  ) {}

  get depth(): number {
    return this.pending.size + this.timers.size;
  }

  get inFlight(): number {
    return this.running.size;
  }

  enqueue(id: CustomerId): void {
    if (this.stopped) return;
    if (this.running.has(id)) {
      this.rerun.add(id);
      return;
    }
    this.pending.add(id);
    this.pump();
  }

  /** Enqueues after `delayMs` (retry with backoff); a sooner enqueue makes it redundant. */
  enqueueLater(id: CustomerId, delayMs: number): void {
    if (this.stopped || this.timers.has(id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.enqueue(id);
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  /** Resolves when nothing is pending or running (timers for later retries do not count). */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Takes no new work; resolves once the reconciles in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.idle();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.pending.size > 0) {
      const id = this.pending.values().next().value as CustomerId;
      this.pending.delete(id);
      this.running.add(id);
      void this.work(id)
        .catch(() => undefined) // work() reports its own failures; the queue must keep going
        .finally(() => {
          this.running.delete(id);
          if (this.rerun.delete(id)) this.enqueue(id);
          this.pump();
          if (this.pending.size === 0 && this.running.size === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }
}
