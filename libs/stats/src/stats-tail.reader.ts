import Kafka from 'node-rdkafka';
import type { KafkaConfig } from '@logstream/config';
import type { StatsRecord } from './stats-record.types';

function asError(err: { message: string }): Error {
  return new Error(err.message);
}

/**
 * Reads the committed tail of a `cdn-stats.<id>` topic (one partition) without a consumer
 * group: librdkafka with read_committed skips aborted transactions and tells the end exactly
 * (partition EOF), which kafkajs cannot without a group. Returns the records of the last
 * `count` offsets (or more, when `enough` says the tail held no checkpoint yet).
 */
export async function readStatsTail(
  kafka: KafkaConfig,
  topic: string,
  enough: (records: StatsRecord[]) => boolean,
  count = 256,
): Promise<StatsRecord[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      'group.id': 'logstream-aggregator-restore',
      'metadata.broker.list': kafka.brokers.join(','),
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      'isolation.level': 'read_committed',
      'socket.timeout.ms': 10_000,
      ...(kafka.tls
        ? {
            'security.protocol': 'ssl' as const,
            'ssl.ca.location': kafka.tls.caFile,
            'ssl.certificate.location': kafka.tls.certFile,
            'ssl.key.location': kafka.tls.keyFile,
          }
        : {}),
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(asError(err)) : resolve())),
  );
  consumer.setDefaultConsumeTimeout(200);
  try {
    const { lowOffset, highOffset } = await new Promise<Kafka.WatermarkOffsets>(
      (resolve, reject) => {
        consumer.queryWatermarkOffsets(topic, 0, 10_000, (err, o) => {
          if (err) reject(asError(err));
          else resolve(o);
        });
      },
    );
    let end = highOffset;
    const found: StatsRecord[] = [];
    while (end > lowOffset) {
      const start = Math.max(lowOffset, end - count);
      const chunk = await readRange(consumer, topic, start, end);
      found.unshift(...chunk);
      if (enough(found)) break;
      end = start;
      count *= 4;
    }
    return found;
  } finally {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      consumer.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

async function readRange(
  consumer: Kafka.KafkaConsumer,
  topic: string,
  start: number,
  end: number,
): Promise<StatsRecord[]> {
  const out: StatsRecord[] = [];
  // Transaction markers take offsets too, so the last offsets may hold no record: at the
  // partition's end only EOF says that everything was read.
  let eof = false;
  const onEof = () => (eof = true);
  consumer.on('partition.eof', onEof);
  consumer.assign([{ topic, partition: 0, offset: start }]);
  try {
    for (let calls = 0; calls < 200; calls++) {
      const messages = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(500, (err, m) => (err ? reject(asError(err)) : resolve(m))),
      );
      let reached = false;
      for (const m of messages) {
        if (m.offset >= end) {
          reached = true;
          break;
        }
        if (m.value) out.push(JSON.parse(m.value.toString('utf8')) as StatsRecord);
        if (m.offset === end - 1) reached = true;
      }
      if (reached || (eof && messages.length === 0)) return out;
    }
    throw new Error(`reading ${topic} from offset ${start} to ${end} did not finish`);
  } finally {
    consumer.removeListener('partition.eof', onEof);
    consumer.unassign();
  }
}
