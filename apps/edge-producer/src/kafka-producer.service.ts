import Kafka from 'node-rdkafka';
import {
  EMPTY_PRODUCER_STATS,
  type EdgeConfig,
  type EdgeCounters,
  parseProducerStats,
  type ProducerStats,
  producerConfig,
  producerTopicConfig,
} from '@logstream/edge';

/** librdkafka reports errors as plain objects; rejections carry real Errors. */
function asError(err: { message: string; code?: number }): Error {
  return Object.assign(new Error(err.message), { code: err.code });
}

type Log = (message: string, fields?: Record<string, unknown>) => void;

const QUEUE_FULL = Kafka.CODES.ERRORS.ERR__QUEUE_FULL;

/** The librdkafka producer, as the edge pipeline uses it: produce or say the queue is full. */
export class EdgeKafkaProducer {
  stats: ProducerStats = EMPTY_PRODUCER_STATS;
  private readonly producer: Kafka.Producer;
  private lastErrorLog = 0;

  constructor(
    config: EdgeConfig,
    private readonly counters: EdgeCounters,
    private readonly log: Log,
  ) {
    this.producer = new Kafka.Producer(producerConfig(config), producerTopicConfig(config));
    // Only failures come back (delivery.report.only.error): a success never crosses into JS.
    this.producer.on('delivery-report', (err) => {
      if (!err) return;
      this.counters.produceErrors++;
      this.logSampled('delivery failed', { error: err.message, code: err.code });
    });
    this.producer.on('event.stats', (event: { message: string }) => {
      this.stats = parseProducerStats(event.message);
    });
    this.producer.on('event.error', (err) =>
      this.logSampled('kafka error', { error: err.message }),
    );
  }

  /** Connects, retrying while no broker answers (an edge node may start before the cluster). */
  async connect(shouldStop: () => boolean): Promise<boolean> {
    for (let delay = 500; !shouldStop(); delay = Math.min(delay * 2, 10_000)) {
      try {
        await new Promise<void>((resolve, reject) =>
          this.producer.connect({ timeout: 10_000 }, (err) =>
            err ? reject(asError(err)) : resolve(),
          ),
        );
        this.producer.setPollInterval(100);
        return true;
      } catch (err) {
        this.log('cannot reach Kafka yet; retrying', {
          error: (err as Error).message,
          retryInMs: delay,
        });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    return false;
  }

  /**
   * Hands one line to librdkafka (which copies it). False means the local queue is full: the
   * caller keeps the line and tries again later. Any other refusal is counted and logged.
   */
  tryProduce(topic: string, value: Buffer, key: Buffer): boolean {
    try {
      this.producer.produce(topic, null, value, key);
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === QUEUE_FULL) return false;
      this.counters.produceErrors++;
      this.logSampled('produce refused', { topic, error: (err as Error).message });
      return true;
    }
  }

  poll(): void {
    this.producer.poll();
  }

  /** Waits until every line handed over so far is acknowledged by Kafka (or failed). */
  flush(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.producer.flush(timeoutMs, (err) => (err ? reject(asError(err)) : resolve())),
    );
  }

  disconnect(): Promise<void> {
    return new Promise((resolve) => this.producer.disconnect(5_000, () => resolve()));
  }

  /** At most one error line every 5 s: a broker outage must not flood the log. */
  private logSampled(message: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 5_000) return;
    this.lastErrorLog = now;
    this.log(message, fields);
  }
}
