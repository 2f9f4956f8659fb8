import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import Kafka from 'node-rdkafka';
import { setTimeout as sleep } from 'node:timers/promises';
import { customerTopic, type CustomerId } from '@logstream/tenancy';
import { PANEL_OPTIONS, type PanelOptions } from './panel-options.types';
import { clipLine, lineMatches, TailSampler } from './tail.rules';

/** Where a tail's events go (the SSE response). */
export interface TailSink {
  ready(info: { maxDurationMs: number; maxLinesPerSecond: number }): void;
  line(text: string): void;
  sampling(rate: number): void;
  end(reason: string): void;
}

/** Not a customer's group and never joined or committed: partitions are assigned by hand. */
const TAIL_GROUP_ID = 'logstream-panel-tail';
const IDLE_POLL_MS = 100;
const BATCH = 500;
const CONNECT_TIMEOUT_MS = 10_000;

function asError(err: { message: string }): Error {
  return new Error(err.message);
}

/**
 * One running tail: a consumer of exactly one customer's topic, from its end, with no group.
 * Stops at its time bound, when asked, or when a newer tail of the same customer starts.
 */
class LiveTail {
  private stopped = false;
  private readonly timer: NodeJS.Timeout;
  private readonly sampler: TailSampler;
  private consumer: Kafka.KafkaConsumer | undefined;
  private loop: Promise<void> = Promise.resolve();
  readonly done: Promise<void>;
  private finish: () => void = () => undefined;

  constructor(
    readonly customerId: CustomerId,
    private readonly filter: string,
    private readonly sink: TailSink,
    private readonly options: PanelOptions,
  ) {
    this.sampler = new TailSampler(options.tail.maxLinesPerSecond);
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.timer = setTimeout(
      () => this.stop(`time limit reached (${Math.round(options.tail.maxDurationMs / 1000)} s)`),
      options.tail.maxDurationMs,
    );
  }

  async start(): Promise<void> {
    const topic = customerTopic(this.customerId);
    const { kafka } = this.options;
    const tls: Kafka.ConsumerGlobalConfig = kafka.tls
      ? {
          'security.protocol': 'ssl',
          'ssl.ca.location': kafka.tls.caFile,
          'ssl.certificate.location': kafka.tls.certFile,
          'ssl.key.location': kafka.tls.keyFile,
        }
      : {};
    const consumer = new Kafka.KafkaConsumer(
      {
        'metadata.broker.list': kafka.brokers.join(','),
        'client.id': 'logstream-panel-tail',
        'group.id': TAIL_GROUP_ID,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'fetch.wait.max.ms': 100,
        'fetch.error.backoff.ms': 100,
        'socket.keepalive.enable': true,
        ...tls,
      },
      { 'auto.offset.reset': 'latest' },
    );
    this.consumer = consumer;
    try {
      await new Promise<void>((resolve, reject) =>
        consumer.connect({ timeout: CONNECT_TIMEOUT_MS }, (err) =>
          err ? reject(asError(err)) : resolve(),
        ),
      );
      const partitions = await new Promise<number[]>((resolve, reject) => {
        consumer.getMetadata({ topic, timeout: CONNECT_TIMEOUT_MS }, (err, metadata) => {
          if (err) {
            reject(asError(err));
            return;
          }
          const found = metadata.topics.find((t) => t.name === topic);
          resolve(found ? found.partitions.map((p) => p.id) : []);
        });
      });
      if (partitions.length === 0) {
        this.stop('your topic does not exist yet: turn streaming on first');
        return;
      }
      // Explicit end offsets: every line written after "ready" is seen, none before.
      const assignments: Kafka.Assignment[] = [];
      for (const partition of partitions) {
        const high = await new Promise<number>((resolve, reject) => {
          consumer.queryWatermarkOffsets(topic, partition, CONNECT_TIMEOUT_MS, (err, offsets) => {
            if (err) reject(asError(err));
            else resolve(offsets.highOffset);
          });
        });
        assignments.push({ topic, partition, offset: high });
      }
      if (this.stopped) return;
      consumer.assign(assignments);
      consumer.setDefaultConsumeTimeout(0);
      this.sink.ready({
        maxDurationMs: this.options.tail.maxDurationMs,
        maxLinesPerSecond: this.options.tail.maxLinesPerSecond,
      });
      this.loop = this.poll(consumer, topic);
    } catch (err) {
      this.stop(`the live tail could not reach Kafka (${(err as Error).message}); try again`);
    }
  }

  /** Non-blocking consume calls, so a tail never holds one of libuv's few threads. */
  private async poll(consumer: Kafka.KafkaConsumer, topic: string): Promise<void> {
    while (!this.stopped) {
      const messages = await new Promise<Kafka.Message[]>((resolve) =>
        consumer.consume(BATCH, (err, batch) => resolve(err ? [] : batch)),
      );
      for (const msg of messages) {
        // Assigned one topic only; checked again so nothing else can ever reach the browser.
        if (this.stopped || msg.topic !== topic || msg.value === null) continue;
        const text = msg.value.toString('utf8');
        if (!lineMatches(text, this.filter)) continue;
        const decision = this.sampler.offer(Date.now());
        if (decision.rate !== undefined) this.sink.sampling(decision.rate);
        if (decision.send) this.sink.line(clipLine(text));
      }
      const rate = this.sampler.tick(Date.now());
      if (rate !== undefined && !this.stopped) this.sink.sampling(rate);
      if (messages.length < BATCH) await sleep(IDLE_POLL_MS);
    }
  }

  stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.sink.end(reason);
    void this.close();
  }

  private async close(): Promise<void> {
    await this.loop;
    const consumer = this.consumer;
    if (consumer?.isConnected()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000);
        consumer.disconnect(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.finish();
  }
}

/**
 * Live tails, at most one per customer: a newer one ends the older (another tab, a reload).
 */
@Injectable()
export class LiveTailService implements OnModuleDestroy {
  private readonly tails = new Map<string, LiveTail>();

  constructor(@Inject(PANEL_OPTIONS) private readonly options: PanelOptions) {}

  /** Starts a tail; `stop` ends it (idempotent). Resolves once it is reading or has ended. */
  async open(
    customerId: CustomerId,
    filter: string,
    sink: TailSink,
  ): Promise<{ stop: (reason: string) => void }> {
    this.tails.get(customerId)?.stop('a newer live tail was started for this customer');
    const tail = new LiveTail(customerId, filter, sink, this.options);
    this.tails.set(customerId, tail);
    void tail.done.then(() => {
      if (this.tails.get(customerId) === tail) this.tails.delete(customerId);
    });
    await tail.start();
    return { stop: (reason) => tail.stop(reason) };
  }

  /** Tails open now (for tests and metrics). */
  get openCount(): number {
    return this.tails.size;
  }

  async onModuleDestroy(): Promise<void> {
    const all = [...this.tails.values()];
    for (const tail of all) tail.stop('the server is shutting down');
    await Promise.all(all.map((t) => t.done));
  }
}
