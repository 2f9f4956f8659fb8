import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { type Kafka, type Producer } from 'kafkajs';
import { loadKafkaConfig, loadS3DevConfig, REPO_ROOT, type S3DevConfig } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { customerTopic, type CustomerId } from '@logstream/tenancy';
import { AppProcess } from './app-process';
import { PLAIN_HTTP_ARCHIVE_ENV } from './secret-keys';
import { ADMIN, controlApiTestConfig, startControlApi, type TestApi } from './control-api';
import { createScratchDatabase, type ScratchDatabase } from './database';
import { randomCustomerId } from './ids';
import { eventually } from './process';

export interface ArchivedCustomer {
  id: CustomerId;
  topic: string;
  bucket: string;
  /** Every line produced, per partition, in the order Kafka holds them. */
  produced: Buffer[][];
  next: number;
}

export interface ArchiveObject {
  key: string;
  partition: number;
  firstOffset: number;
  lines: Buffer[];
}

export interface ArchiveStatus {
  state: string;
  summary: string;
  lastError: string | null;
  uploadsOk: number;
  uploadsFailed: number;
  linesDelivered: number;
  bytesDelivered: number;
  linesLost: number;
  behindSeconds: number;
}

export const PARTITIONS = 3;

/** A client of the test s3proxy, with the settings the archiver's own client uses. */
export function testS3Client(config: S3DevConfig): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * An archiver process on a test database, with short intervals so states change within
 * seconds, in a consumer group of that database only.
 */
export function startTestArchiver(
  databaseUrl: string,
  env: Record<string, string> = {},
): AppProcess {
  return new AppProcess('archiver', {
    LOGSTREAM_DATABASE_URL: databaseUrl,
    LOGSTREAM_ARCHIVER_HTTP_PORT: '0',
    LOGSTREAM_ARCHIVER_REFRESH_MS: '500',
    LOGSTREAM_ARCHIVER_STATUS_INTERVAL_MS: '500',
    LOGSTREAM_ARCHIVER_RETRY_MIN_MS: '200',
    LOGSTREAM_ARCHIVER_RETRY_MAX_MS: '2000',
    LOGSTREAM_ARCHIVER_UPLOAD_TIMEOUT_MS: '5000',
    LOGSTREAM_ARCHIVER_SESSION_TIMEOUT_MS: '6000',
    LOGSTREAM_ARCHIVER_GROUP_ID: `logstream-archiver-${path.basename(databaseUrl)}`,
    ...PLAIN_HTTP_ARCHIVE_ENV,
    ...env,
  });
}

/**
 * The archive's real parts for a test: a scratch database, the control API in-process, the
 * shared broker, the s3proxy that scripts/test.sh runs, and archiver processes.
 */
export class ArchivePlatform {
  readonly s3: S3Client;
  readonly s3Config: S3DevConfig;
  private producer: Producer | undefined;
  private readonly archivers: AppProcess[] = [];

  private constructor(
    readonly scratch: ScratchDatabase,
    readonly api: TestApi,
    readonly kafka: Kafka,
  ) {
    this.s3Config = loadS3DevConfig();
    this.s3 = testS3Client(this.s3Config);
  }

  /** `env` adds to the control API's test configuration (e.g. loopback webhooks). */
  static async start(purpose: string, env: Record<string, string> = {}): Promise<ArchivePlatform> {
    const scratch = await createScratchDatabase(purpose);
    const api = await startControlApi(
      controlApiTestConfig({
        LOGSTREAM_DATABASE_URL: scratch.url,
        LOGSTREAM_LOG_LEVEL: 'warn',
        ...PLAIN_HTTP_ARCHIVE_ENV,
        ...env,
      }),
    );
    const kafka = createKafkaClient(loadKafkaConfig('archive-test'), () => undefined);
    return new ArchivePlatform(scratch, api, kafka);
  }

  /** A streaming customer (row and topic made directly) with its archive set through the API. */
  async createCustomer(
    prefix: string,
    archive: Record<string, unknown>,
    options: { trust?: boolean } = {},
  ): Promise<ArchivedCustomer> {
    const id = randomCustomerId(prefix);
    const topic = customerTopic(id);
    await this.scratch.db.query(
      `INSERT INTO customers (id, name, streaming_enabled, streaming_state) VALUES ($1, $1, true, 'active')`,
      [id],
    );
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const bucket = `${id}-logs`;
    await this.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const res = await this.api
      .http()
      .put(`/v1/customers/${id}/archive`)
      .set(ADMIN)
      .send({
        endpoint: this.s3Config.endpoint,
        bucket,
        accessKeyId: this.s3Config.accessKeyId,
        secretAccessKey: this.s3Config.secretAccessKey,
        ...archive,
      });
    assert.equal(res.status, 200, res.text);
    if (options.trust !== false) {
      const trusted = await this.api.http().post(`/v1/customers/${id}/archive/trust`).set(ADMIN);
      assert.equal(trusted.status, 200, trusted.text);
    }
    return { id, topic, bucket, produced: [[], [], []], next: 0 };
  }

  /** Writes `count` numbered lines round-robin over the partitions, acknowledged by the broker. */
  async produce(customer: ArchivedCustomer, count: number, batch = 100): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    for (let done = 0; done < count;) {
      const n = Math.min(batch, count - done);
      const messages: Array<{ partition: number; value: Buffer }> = [];
      for (let i = 0; i < n; i++) {
        const seq = customer.next++;
        const partition = seq % PARTITIONS;
        const value = Buffer.from(
          `${customer.id} seq=${String(seq).padStart(8, '0')} GET /img/${seq}.png 200 "ü\t\\x00"`,
        );
        messages.push({ partition, value });
      }
      await this.producer.send({ topic: customer.topic, messages, acks: -1 });
      for (const m of messages) customer.produced[m.partition].push(m.value);
      done += n;
    }
  }

  /** Keeps writing `perTick` lines every `tickMs` until the returned stop is awaited. */
  produceContinuously(customer: ArchivedCustomer, perTick = 30, tickMs = 100): () => Promise<void> {
    let running = true;
    const loop = (async () => {
      while (running) {
        await this.produce(customer, perTick);
        await new Promise((r) => setTimeout(r, tickMs));
      }
    })();
    return async () => {
      running = false;
      await loop;
    };
  }

  startArchiver(env: Record<string, string> = {}): AppProcess {
    const archiver = startTestArchiver(this.scratch.url, env);
    this.archivers.push(archiver);
    return archiver;
  }

  async status(customer: ArchivedCustomer): Promise<ArchiveStatus> {
    const res = await this.api.http().get(`/v1/customers/${customer.id}/archive`).set(ADMIN);
    assert.equal(res.status, 200, res.text);
    return (res.body as { status: ArchiveStatus }).status;
  }

  /** Every archive object in the customer's bucket, decompressed (zstd with Debian's zstd -d). */
  async objects(customer: ArchivedCustomer): Promise<ArchiveObject[]> {
    const out: ArchiveObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: customer.bucket, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const key = o.Key ?? '';
        const m = /_p(\d+)-o(\d+)\.log\.(gz|zst)$/.exec(key);
        if (!m) continue;
        const got = await this.s3.send(new GetObjectCommand({ Bucket: customer.bucket, Key: key }));
        const body = Buffer.from(await got.Body!.transformToByteArray());
        const plain =
          m[3] === 'gz'
            ? gunzipSync(body)
            : execFileSync('zstd', ['-d', '-c', '-q'], { input: body });
        assert.equal(plain[plain.length - 1], 0x0a, `${key} ends with a newline`);
        const lines = splitLines(plain);
        out.push({ key, partition: Number(m[1]), firstOffset: Number(m[2]), lines });
      }
      token = page.NextContinuationToken;
    } while (token);
    return out;
  }

  /**
   * Exactly once: per partition the objects, in offset order, tile the offsets with no gap and
   * no overlap, and their lines are the produced lines byte for byte.
   */
  async assertExactlyOnce(
    customer: ArchivedCustomer,
    timeoutMs = 90_000,
  ): Promise<ArchiveObject[]> {
    const objects = await eventually(
      async () => {
        const all = await this.objects(customer);
        const total = all.reduce((n, o) => n + o.lines.length, 0);
        const want = customer.produced.reduce((n, p) => n + p.length, 0);
        if (total < want) throw new Error(`${total} of ${want} lines archived so far`);
        return all;
      },
      'every line archived',
      timeoutMs,
      500,
    );
    for (let p = 0; p < PARTITIONS; p++) {
      const mine = objects
        .filter((o) => o.partition === p)
        .sort((x, y) => x.firstOffset - y.firstOffset);
      let offset = 0;
      const lines: Buffer[] = [];
      for (const o of mine) {
        assert.equal(o.firstOffset, offset, `partition ${p}: object ${o.key} starts at ${offset}`);
        offset += o.lines.length;
        lines.push(...o.lines);
      }
      assert.equal(lines.length, customer.produced[p].length, `partition ${p}: line count`);
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].equals(customer.produced[p][i])) {
          assert.fail(
            `partition ${p} offset ${i}: ${lines[i].toString()} != ${customer.produced[p][i].toString()}`,
          );
        }
      }
    }
    return objects;
  }

  /** Stops or starts the shared s3proxy (the outage tests). */
  s3proxy(command: 'stop' | 'start'): void {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts/s3.sh'), command], { stdio: 'ignore' });
  }

  async close(): Promise<void> {
    for (const a of this.archivers) await a.stop().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.s3.destroy();
    await this.api.close();
    await this.scratch.drop();
  }
}

function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
    lines.push(buf.subarray(start, i));
    start = i + 1;
  }
  return lines;
}
