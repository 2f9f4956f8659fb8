/**
 * Space-Saving top-k (Metwally, Agrawal, El Abbadi 2005) with a fixed number of counters k.
 * Guarantees, for a stream of total weight N: every item whose true count exceeds N/k holds a
 * counter; for a held item, `count - error <= true count <= count`, and `error <= N/k`. A
 * min-heap over the counters makes each offer O(log k); an offer for a key already held
 * allocates nothing (the label string is decoded only when a key takes a counter).
 */
export interface TopEntry {
  key: string;
  /** Upper bound of the true count. */
  count: number;
  /** count - error is a lower bound of the true count. */
  error: number;
}

export class SpaceSaving {
  private readonly keys: Float64Array;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly labels: string[];
  /** heap[i] = counter slot; posOf[slot] = index in heap. */
  private readonly heap: Int32Array;
  private readonly posOf: Int32Array;
  private readonly slotOf = new Map<number, number>();
  private size = 0;
  total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`Space-Saving needs at least one counter, got ${capacity}`);
    }
    this.keys = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.labels = new Array<string>(capacity).fill('');
    this.heap = new Int32Array(capacity);
    this.posOf = new Int32Array(capacity);
  }

  /** Counts `weight` for `key`, labelled buf[start, end) (decoded only if the key is new). */
  offerBytes(key: number, weight: number, buf: Buffer, start: number, end: number): void {
    this.total += weight;
    const held = this.slotOf.get(key);
    if (held !== undefined) {
      this.counts[held] += weight;
      this.siftDown(this.posOf[held]);
      return;
    }
    this.insert(key, weight, buf.toString('utf8', start, end));
  }

  /** Counts `weight` for `key` with its printable `label`. */
  offer(key: number, weight: number, label: string): void {
    this.total += weight;
    const held = this.slotOf.get(key);
    if (held !== undefined) {
      this.counts[held] += weight;
      this.siftDown(this.posOf[held]);
      return;
    }
    this.insert(key, weight, label);
  }

  private insert(key: number, weight: number, label: string): void {
    if (this.size < this.capacity) {
      const slot = this.size++;
      this.keys[slot] = key;
      this.counts[slot] = weight;
      this.errors[slot] = 0;
      this.labels[slot] = label;
      this.heap[slot] = slot;
      this.posOf[slot] = slot;
      this.slotOf.set(key, slot);
      this.siftUp(slot);
      return;
    }
    const slot = this.heap[0];
    this.slotOf.delete(this.keys[slot]);
    const min = this.counts[slot];
    this.keys[slot] = key;
    this.errors[slot] = min;
    this.counts[slot] = min + weight;
    this.labels[slot] = label;
    this.slotOf.set(key, slot);
    this.siftDown(0);
  }

  /** The held items, highest count first (ties by key, so output is deterministic). */
  entries(): TopEntry[] {
    const out: TopEntry[] = [];
    for (let s = 0; s < this.size; s++) {
      out.push({ key: this.labels[s], count: this.counts[s], error: this.errors[s] });
    }
    return out.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  top(n: number): TopEntry[] {
    return this.entries().slice(0, n);
  }

  /** The largest error any reported count can carry: the smallest counter once all are used. */
  maxError(): number {
    return this.size < this.capacity ? 0 : this.counts[this.heap[0]];
  }

  /** Restores counters saved by {@link entries}; `keyOf` recomputes each label's key. */
  static restore(
    capacity: number,
    total: number,
    entries: readonly TopEntry[],
    keyOf: (label: string) => number,
  ): SpaceSaving {
    if (entries.length > capacity) throw new Error('more saved counters than capacity');
    const s = new SpaceSaving(capacity);
    for (const e of entries) {
      const slot = s.size++;
      s.keys[slot] = keyOf(e.key);
      s.counts[slot] = e.count;
      s.errors[slot] = e.error;
      s.labels[slot] = e.key;
      s.heap[slot] = slot;
      s.posOf[slot] = slot;
      s.slotOf.set(s.keys[slot], slot);
      s.siftUp(slot);
    }
    s.total = total;
    return s;
  }

  private less(i: number, j: number): boolean {
    return this.counts[this.heap[i]] < this.counts[this.heap[j]];
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i];
    const b = this.heap[j];
    this.heap[i] = b;
    this.heap[j] = a;
    this.posOf[b] = i;
    this.posOf[a] = j;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return;
      const r = l + 1;
      const smallest = r < this.size && this.less(r, l) ? r : l;
      if (!this.less(smallest, i)) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
