import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { type Kafka, Partitioners } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { eventually } from './process';
import type { ClientFiles } from './test-pki';

/** One consumer reading a topic from the start with a customer's certificate, counting bytes. */
export interface Meter {
  /** Record value bytes received so far. */
  readonly bytes: number;
  stop(): Promise<void>;
}

/**
 * Starts kcat (librdkafka, as customers run it) as a consumer in group `groupId` on the SSL
 * listener with the credential's files, from the beginning of `topic`, printing each record's
 * size; resolves once its first bytes arrived. Fetch limits below one record batch make each
 * fetch exactly one whole batch: the broker always sends the first batch whole, and a larger
 * limit would add the next batch cut short, bytes the quota counts but the client drops.
 */
export async function startMeter(
  credential: ClientFiles,
  topic: string,
  groupId: string,
): Promise<Meter> {
  const bootstrap = loadKafkaConfig('logstream-quota-test').customerBootstrap.join(',');
  const child = spawn(
    'kcat',
    [
      '-b',
      bootstrap,
      ...['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${credential.caFile}`],
      ...['-X', `ssl.certificate.location=${credential.certFile}`],
      ...['-X', `ssl.key.location=${credential.keyFile}`],
      ...['-X', 'auto.offset.reset=earliest', '-X', 'max.partition.fetch.bytes=1024'],
      ...['-X', 'fetch.max.bytes=1024', '-X', 'message.max.bytes=1024'],
      ...['-q', '-u', '-f', '%S\\n', '-G', groupId, topic],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const meter = {
    bytes: 0,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) meter.bytes += Number(line) || 0;
  });
  try {
    await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`kcat exited: ${stderr}`);
        return Promise.resolve(meter.bytes > 0 ? true : undefined);
      },
      `${groupId} to receive its first bytes`,
      30_000,
      50,
    );
  } catch (err) {
    await meter.stop();
    throw err;
  }
  return meter;
}

/**
 * Bytes per second each meter received over `measureMs`, after a `warmupMs` in which the
 * broker's quota window fills (what an idle client may fetch at once is not the rate).
 */
export async function measureRates(
  meters: readonly Meter[],
  warmupMs: number,
  measureMs: number,
): Promise<number[]> {
  await sleep(warmupMs);
  const start = meters.map((m) => m.bytes);
  const t0 = performance.now();
  await sleep(measureMs);
  const seconds = (performance.now() - t0) / 1000;
  return meters.map((m, i) => (m.bytes - start[i]) / seconds);
}

/**
 * Writes `mebibytes` of incompressible 16 KiB records to `topic` (as the platform), in record
 * batches of 64 KiB: the broker never splits a batch, so a batch is the smallest step in which
 * a consumer's count moves (and one larger than a second of quota is never served).
 */
export async function fillTopic(kafka: Kafka, topic: string, mebibytes: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const batch = () => Array.from({ length: 4 }, () => ({ value: randomBytes(16 * 1024) }));
  try {
    for (let i = 0; i < mebibytes; i++) {
      // 16 sends of one batch each, in flight together: a MiB per round trip.
      await Promise.all(
        Array.from({ length: 16 }, () => producer.send({ topic, acks: -1, messages: batch() })),
      );
    }
  } finally {
    await producer.disconnect();
  }
}
