interface Pending<T, R> {
  items: readonly T[];
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for Kafka admin writes. In KRaft a broker forwards ACL and topic changes to the
 * controller one request at a time, each costing a metadata-log commit; so while one request is
 * in flight, later callers' items wait and then go together in the next request. A batch that
 * fails is retried item group by item group, so one caller's bad input never fails another's.
 */
export class RequestBatcher<T, R> {
  private readonly queue: Array<Pending<T, R>> = [];
  private inFlight = false;

  constructor(
    private readonly send: (items: T[]) => Promise<R>,
    private readonly maxItems = 500,
  ) {}

  submit(items: readonly T[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch: Array<Pending<T, R>> = [];
    let count = 0;
    while (
      this.queue.length > 0 &&
      (batch.length === 0 || count + this.queue[0].items.length <= this.maxItems)
    ) {
      const next = this.queue.shift() as Pending<T, R>;
      batch.push(next);
      count += next.items.length;
    }
    this.inFlight = true;
    void this.sendBatch(batch).finally(() => {
      this.inFlight = false;
      this.flush();
    });
  }

  private async sendBatch(batch: Array<Pending<T, R>>): Promise<void> {
    try {
      const result = await this.send(batch.flatMap((p) => [...p.items]));
      for (const p of batch) p.resolve(result);
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const p of batch) {
        await this.send([...p.items]).then(p.resolve, p.reject);
      }
    }
  }
}
