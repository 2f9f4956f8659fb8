import Kafka from 'node-rdkafka';

/** The edge time (ms since the epoch) that ends a traffic-generator line: its last field. */
export function edgeTimeMs(line: Buffer): number {
  let end = line.length;
  while (end > 0 && (line[end - 1] === 0x0a || line[end - 1] === 0x20)) end--;
  let ms = 0;
  let i = end;
  while (i > 0 && line[i - 1] >= 0x30 && line[i - 1] <= 0x39) i--;
  if (i === end || end - i > 15) return Number.NaN;
  for (let k = i; k < end; k++) ms = ms * 10 + (line[k] - 0x30);
  return ms;
}

/**
 * A customer's consumer as a real client is one: node-rdkafka, reading every given topic from
 * its start. Each line whose edge time falls in the measured window gives one latency sample:
 * this machine's clock on arrival minus that edge time.
 */
export class LatencyConsumer {
  readonly samplesMs: number[] = [];
  consumed = 0;
  firstArrivalMs: number | undefined;
  private window = { from: Number.POSITIVE_INFINITY, until: Number.NEGATIVE_INFINITY };
  private readonly consumer: Kafka.KafkaConsumer;

  constructor(
    broker: string,
    private readonly topics: readonly string[],
    fetchWaitMaxMs: number,
  ) {
    this.consumer = new Kafka.KafkaConsumer(
      {
        'metadata.broker.list': broker,
        'group.id': 'bench-latency.consumer',
        'enable.auto.commit': false,
        'fetch.wait.max.ms': fetchWaitMaxMs,
      },
      { 'auto.offset.reset': 'earliest' },
    );
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.consumer.connect({ timeout: 30_000 }, (err) =>
        err ? reject(new Error(`consumer connect: ${err.message}`)) : resolve(),
      ),
    );
    // Assigned, not subscribed: no group rebalance delays the first fetch.
    this.consumer.assign(this.topics.map((topic) => ({ topic, partition: 0, offset: 0 })));
    this.consumer.on('data', (m) => {
      const now = Date.now();
      this.consumed++;
      this.firstArrivalMs ??= now;
      if (!m.value) return;
      const edgeMs = edgeTimeMs(m.value);
      if (edgeMs >= this.window.from && edgeMs < this.window.until)
        this.samplesMs.push(now - edgeMs);
    });
    this.consumer.consume();
  }

  /** Lines with an edge time in [fromMs, untilMs) are measured from now on. */
  measure(fromMs: number, untilMs: number): void {
    this.window = { from: fromMs, until: untilMs };
  }

  async stop(): Promise<void> {
    this.consumer.unsubscribe();
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
