/**
 * bench:archive: the archiver (real process) delivering lines already in Kafka into s3proxy,
 * with gzip and with zstd, beside the floor of `kcat -C | gzip > file` over the same lines; then
 * the delay from a line's arrival in Kafka to its object being readable with a 60 s flush.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { loadS3DevConfig, processEnv, REPO_ROOT } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { customerTopic, parseCustomerId } from '@logstream/tenancy';
import { AppProcess } from '../../test/support/app-process';
import { createScratchDatabase, type ScratchDatabase } from '../../test/support/database';
import { run } from '../../test/support/process';
import { PLAIN_HTTP_ARCHIVE_ENV, TEST_SECRET_KEYS } from '../../test/support/secret-keys';
import { machineSummary, percentile, progress, publishResults } from '../support/bench-report';
import { benchMain } from '../support/bench-runner.service';
import { DedicatedBroker } from '../support/dedicated-broker.service';
import { clockTicksPerSecond, processCpuSeconds } from '../support/process-stats.reader';
import {
  archiveMarkdown,
  type ArchiveBenchReport,
  type ThroughputRow,
} from './archive-report.factory';

const PARTITIONS = 3;
const S3_PORT_OFFSET = 50;

benchMain(
  {
    name: 'bench:archive',
    summary: `Archiver lines/s and CPU per million lines (gzip, zstd) beside kcat -C | gzip, then the
arrival-to-readable delay with a 60 s flush interval. Own broker and s3proxy.`,
    portBase: 20092,
    sizes: {
      lines: {
        help: 'lines for the throughput runs',
        full: 1_000_000,
        quick: 100_000,
        min: 1000,
        max: 50_000_000,
      },
      latencySeconds: {
        help: 'seconds of traffic for the delay run',
        full: 240,
        quick: 70,
        min: 10,
        max: 3600,
      },
      rate: { help: 'lines/s during the delay run', full: 500, quick: 200, min: 1, max: 100_000 },
    },
  },
  async (args) => {
    const broker = new DedicatedBroker(args.portBase);
    const s3Port = args.portBase + S3_PORT_OFFSET;
    const s3Env = { ...processEnv(), LOGSTREAM_S3_PORT: String(s3Port) };
    const s3 = loadS3DevConfig(s3Env);
    let scratch: ScratchDatabase | undefined;
    const archivers: AppProcess[] = [];
    await broker.start();
    // Fresh buckets every run: s3proxy keeps objects as files under its data folder.
    await rm(s3.dataDir, { recursive: true, force: true });
    await run('bash', [path.join(REPO_ROOT, 'scripts/s3.sh'), 'start'], {
      env: s3Env,
      timeoutMs: 120_000,
    });
    try {
      scratch = await createScratchDatabase('bench_archive');
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      const kafka = createKafkaClient(
        { brokers: [broker.plaintext], customerBootstrap: [], clientId: 'bench' },
        () => undefined,
      );
      const admin = kafka.admin();
      await admin.connect();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const ticks = await clockTicksPerSecond();

      const customer = async (name: string, flush: Record<string, number>, compression: string) => {
        const id = parseCustomerId(`bench-${name}`);
        await scratch!.db.query(
          `INSERT INTO customers (id, name, streaming_enabled, streaming_state) VALUES ($1, $1, true, 'active')`,
          [id],
        );
        await client.send(new CreateBucketCommand({ Bucket: `${id}-logs` }));
        return { id, topic: customerTopic(id), bucket: `${id}-logs`, flush, compression };
      };
      const setArchive = async (c: Awaited<ReturnType<typeof customer>>, compression: string) => {
        const { ArchiveRepository } = await import('@logstream/persistence');
        const { sealSecret, secretContext, settingsRow } = await import('@logstream/archive');
        const repo = new ArchiveRepository(scratch!.db.manager);
        // Sealed with the key the archivers it spawns are given.
        const secret = sealSecret(
          Buffer.from(TEST_SECRET_KEYS.LOGSTREAM_ARCHIVE_SECRET_KEY, 'base64'),
          secretContext(c.id, 'secret'),
          s3.secretAccessKey,
        );
        const row = settingsRow(
          {
            endpoint: s3.endpoint,
            bucket: c.bucket,
            accessKeyId: s3.accessKeyId,
            compression: compression as 'gzip',
            flush: c.flush,
          },
          secret,
        );
        await repo.saveSettings(c.id, row, { reverify: false, ciphertext: secret });
        await repo.markVerified(c.id, 'admin');
      };
      const startArchiver = (group: string) => {
        const a = new AppProcess('archiver', {
          LOGSTREAM_DATABASE_URL: scratch!.url,
          LOGSTREAM_KAFKA_BROKERS: broker.plaintext,
          LOGSTREAM_ARCHIVER_HTTP_PORT: '0',
          LOGSTREAM_ARCHIVER_REFRESH_MS: '500',
          LOGSTREAM_ARCHIVER_GROUP_ID: group,
          LOGSTREAM_LOG_LEVEL: 'info',
          ...PLAIN_HTTP_ARCHIVE_ENV,
        });
        archivers.push(a);
        return a;
      };
      const delivered = async (id: string): Promise<number> => {
        const rows = await scratch!.db.query<Array<{ n: string }>>(
          'SELECT lines_delivered AS n FROM customer_archives WHERE customer_id = $1',
          [id],
        );
        return Number(rows[0]?.n ?? 0);
      };
      const bucketBytes = async (bucket: string): Promise<number> => {
        let total = 0;
        let token: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
          );
          for (const o of page.Contents ?? []) total += o.Size ?? 0;
          token = page.NextContinuationToken;
        } while (token);
        return total;
      };

      // --- throughput: one topic filled once, read by each pipeline
      // Ten whole objects per partition, so no remainder waits for the flush interval.
      const objectsPerPartition = 10;
      const lines =
        Math.floor(args.sizes.lines / (PARTITIONS * objectsPerPartition)) *
        PARTITIONS *
        objectsPerPartition;
      const fill = await customer('fill', {}, 'gzip');
      await admin.createTopics({
        topics: [{ topic: fill.topic, numPartitions: PARTITIONS }],
        waitForLeaders: true,
      });
      progress(`writing ${lines.toLocaleString('en')} lines`);
      let lineBytes = 0;
      for (let done = 0; done < lines;) {
        const batch = Math.min(5000, lines - done);
        const messages = Array.from({ length: batch }, (_, i) => {
          const seq = done + i;
          const value = `203.0.113.${seq % 251} - - [02/Dec/2026:06:15:${String(seq % 60).padStart(2, '0')} +0000] "GET /assets/img/${seq % 9973}/photo-${seq}.jpg HTTP/1.1" 200 ${1000 + (seq % 90000)} "https://www.example.com/page/${seq % 313}" "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" hit ${seq}`;
          lineBytes += value.length;
          return { partition: seq % PARTITIONS, value };
        });
        await producer.send({ topic: fill.topic, messages, acks: -1 });
        done += batch;
      }
      const throughput: ThroughputRow[] = [];
      const row = (
        name: string,
        seconds: number,
        cpu: number,
        outputBytes: number,
      ): ThroughputRow => ({
        name,
        lines,
        seconds,
        linesPerSecond: Math.round(lines / seconds),
        cpuSeconds: cpu,
        cpuSecondsPerMillionLines: (cpu / lines) * 1e6,
        outputBytes,
      });
      for (const compression of ['gzip', 'zstd']) {
        await scratch.db.query('DELETE FROM customer_archives WHERE customer_id = $1', [fill.id]);
        await scratch.db.query('DELETE FROM archive_chunks WHERE customer_id = $1', [fill.id]);
        fill.flush = {
          intervalSeconds: 300,
          maxLines: lines / PARTITIONS / objectsPerPartition,
          maxBytes: 256 * 1024 * 1024,
        };
        const bucket = `${fill.id}-${compression}`;
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        fill.bucket = bucket;
        await setArchive(fill, compression);
        progress(`archiver ${compression}`);
        const archiver = startArchiver(`logstream-archiver-bench-${compression}`);
        await archiver.waitForLog(
          (l) => l.msg === 'archiver joined the group',
          'group join',
          60_000,
        );
        const cpu0 = await processCpuSeconds(archiver.pid!, ticks);
        const t0 = Date.now();
        while ((await delivered(fill.id)) < lines) {
          if (!archiver.running)
            throw new Error(`archiver exited: ${archiver.raw.slice(-10).join('\n')}`);
          await sleep(200);
        }
        const seconds = (Date.now() - t0) / 1000;
        const cpu = (await processCpuSeconds(archiver.pid!, ticks)) - cpu0;
        await archiver.stop();
        throughput.push(row(`archiver ${compression}`, seconds, cpu, await bucketBytes(bucket)));
      }
      progress('kcat -C | gzip');
      const dir = await mkdtemp(path.join(tmpdir(), 'bench-archive-'));
      const out = path.join(dir, 'floor.log.gz');
      const floor = await run(
        'bash',
        [
          '-c',
          `TIMEFORMAT='%R %U %S'; time (kcat -C -b ${broker.plaintext} -t ${fill.topic} -e -q -f '%s\\n' | gzip -6 > ${out})`,
        ],
        { timeoutMs: 1_800_000 },
      );
      const [real, user, sys] = floor.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      throughput.push(
        row('kcat -C | gzip -6 > file (floor)', real, user + sys, (await stat(out)).size),
      );
      const floorLines =
        gunzipSync(await readFile(out))
          .toString()
          .split('\n').length - 1;
      if (floorLines !== lines) throw new Error(`kcat wrote ${floorLines} lines, not ${lines}`);
      await rm(dir, { recursive: true, force: true });

      // --- delay: a steady rate, a 60 s flush interval
      const flushS = 60;
      const late = await customer(
        'latency',
        { intervalSeconds: flushS, maxLines: 10_000_000, maxBytes: 256 * 1024 * 1024 },
        'gzip',
      );
      await admin.createTopics({
        topics: [{ topic: late.topic, numPartitions: PARTITIONS }],
        waitForLeaders: true,
      });
      await setArchive(late, 'gzip');
      const archiver = startArchiver('logstream-archiver-bench-latency');
      await archiver.waitForLog((l) => l.msg === 'archiver joined the group', 'group join', 60_000);
      const seconds = args.sizes.latencySeconds;
      const rate = args.sizes.rate;
      progress(`delay run: ${rate} lines/s for ${seconds} s, flush interval ${flushS} s`);
      const readableAt = new Map<string, number>();
      let writing = true;
      let sent = 0;
      const writer = (async () => {
        const start = Date.now();
        while (Date.now() - start < seconds * 1000) {
          const due = Math.floor(((Date.now() - start) / 1000) * rate) - sent;
          if (due > 0) {
            await producer.send({
              topic: late.topic,
              messages: Array.from({ length: due }, (_, i) => ({
                partition: (sent + i) % PARTITIONS,
                value: `line ${sent + i} ${Date.now()}`,
              })),
              acks: -1,
            });
            sent += due;
          }
          await sleep(50);
        }
        writing = false;
      })();
      const deadline = () => !writing && Date.now();
      let doneAt: number | undefined;
      for (;;) {
        // Checked before listing, so the object that completed the count is listed too.
        const finished = doneAt !== undefined && (await delivered(late.id)) >= sent;
        const page = await client.send(new ListObjectsV2Command({ Bucket: late.bucket }));
        const now = Date.now();
        for (const o of page.Contents ?? []) {
          // s3proxy's filesystem backend also lists its folders ("logs/") as keys.
          if (o.Key?.endsWith('.log.gz') && !readableAt.has(o.Key)) readableAt.set(o.Key, now);
        }
        if (finished) break;
        if (deadline() && doneAt === undefined) doneAt = Date.now();
        if (doneAt !== undefined && Date.now() - doneAt > (flushS + 60) * 1000)
          throw new Error('the delay run did not finish');
        await sleep(250);
      }
      await writer;
      // Each line carries the time it was handed to Kafka (its CreateTime, as kafkajs sets it).
      const delays: number[] = [];
      for (const [key, at] of readableAt) {
        const got = await client.send(new GetObjectCommand({ Bucket: late.bucket, Key: key }));
        const body = gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString();
        for (const line of body.split('\n')) {
          const sentAt = Number(line.split(' ')[2]);
          if (Number.isFinite(sentAt) && sentAt > 0) delays.push(at - sentAt);
        }
      }
      if (delays.length !== sent) {
        throw new Error(`the delay run's objects hold ${delays.length} lines, not ${sent}`);
      }
      await archiver.stop();
      await producer.disconnect();
      await admin.disconnect();
      client.destroy();
      const report: ArchiveBenchReport = {
        date: new Date().toISOString(),
        machine: machineSummary(),
        quick: args.quick,
        lines,
        avgLineBytes: Math.round(lineBytes / lines),
        partitions: PARTITIONS,
        throughput,
        latency: {
          flushIntervalSeconds: flushS,
          ratePerSecond: rate,
          seconds,
          lines: delays.length,
          objects: readableAt.size,
          p50Ms: percentile(delays, 50),
          p99Ms: percentile(delays, 99),
          maxMs: Math.max(...delays),
        },
      };
      await publishResults(args.resultsDir, 'archive', archiveMarkdown(report), report);
    } finally {
      for (const a of archivers) await a.stop().catch(() => undefined);
      await scratch?.drop().catch(() => undefined);
      await run('bash', [path.join(REPO_ROOT, 'scripts/s3.sh'), 'stop'], {
        env: s3Env,
        timeoutMs: 60_000,
      }).catch(() => undefined);
      await broker.stop();
    }
  },
);
