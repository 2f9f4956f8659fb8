import assert from 'node:assert/strict';
import { type Kafka, type Producer, Partitioners } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import type { KafkaAdminService } from '@logstream/kafka';
import { customerStatsTopicSpec, customerTopicSpec } from '@logstream/provisioning';
import type { StatsRecord } from '@logstream/stats';
import type { CustomerId } from '@logstream/tenancy';
import type { TruthWindow } from '@logstream/traffic';
import { AppProcess } from './app-process';
import { run } from './process';

/** A customer's log topic (3 partitions) and statistics topic, as the provisioner makes them. */
export async function createStatsCustomer(admin: KafkaAdminService, id: CustomerId): Promise<void> {
  const settings = {
    partitions: 3,
    replicationFactor: 1,
    retentionMs: 86_400_000,
    minInsyncReplicas: 1,
  };
  await admin.ensureTopic(customerTopicSpec(id, settings));
  await admin.ensureTopic(customerStatsTopicSpec(id, settings));
}

/** The aggregator; with `databaseUrl` it also writes one-minute rollups there. */
export function startAggregator(
  group: string,
  customerPrefix: string,
  databaseUrl?: string,
): AppProcess {
  return new AppProcess('aggregator', {
    LOGSTREAM_STATS_GROUP: group,
    LOGSTREAM_STATS_CUSTOMER_PREFIX: customerPrefix,
    LOGSTREAM_STATS_HTTP_PORT: '0',
    LOGSTREAM_STATS_TOPIC_REFRESH_MS: '1000',
    LOGSTREAM_LOG_LEVEL: 'info',
    ...(databaseUrl
      ? { LOGSTREAM_STATS_ROLLUPS: 'true', LOGSTREAM_DATABASE_URL: databaseUrl }
      : { LOGSTREAM_STATS_ROLLUPS: 'false' }),
  });
}

export async function lineProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

/** The newest committed record of every key of `cdn-stats.<id>` (kcat, read_committed). */
export async function readStats(topic: string): Promise<Map<string, StatsRecord>> {
  const brokers = loadKafkaConfig('kcat').brokers.join(',');
  const r = await run(
    'kcat',
    [
      '-b',
      brokers,
      '-C',
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-X',
      'isolation.level=read_committed',
      '-f',
      '%k\t%s\n',
    ],
    { timeoutMs: 30_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const out = new Map<string, StatsRecord>();
  for (const line of r.stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    out.set(line.slice(0, tab), JSON.parse(line.slice(tab + 1)) as StatsRecord);
  }
  return out;
}

/** Asserts a final record's counts equal the truth exactly, visitors within 3 standard errors. */
export function assertWindowMatches(key: string, r: StatsRecord | undefined, w: TruthWindow): void {
  assert.ok(r, `no record ${key}`);
  assert.equal(r.final, true, `${key} is final`);
  assert.equal(r.requests, w.requests, `${key} requests`);
  assert.equal(r.bytes, w.bytes, `${key} bytes`);
  assert.deepEqual(
    r.status,
    Object.fromEntries([...w.status].sort((a, b) => a[0] - b[0]).map(([c, n]) => [String(c), n])),
    `${key} status codes`,
  );
  assert.equal(r.late, 0, `${key} late`);
  const err = Math.abs(r.uniqueVisitors.estimate - w.ips.size) / w.ips.size;
  assert.ok(err <= 3 * r.uniqueVisitors.relativeStandardError, `${key} visitors off by ${err}`);
  const reported = new Set(r.top.clientIps.entries.map((e) => e.key));
  const ranked = [...w.ips].sort((a, b) => b[1] - a[1]);
  // IPs tied with the first one the list has no room for may rightly be left out (a short
  // window has many IPs seen once or twice); every true top-10 IP above that count must be in it.
  const cutoff = ranked[reported.size]?.[1] ?? 0;
  for (const [ip, count] of ranked.slice(0, 10)) {
    if (count > cutoff) {
      assert.ok(
        reported.has(ip),
        `${key}: true top-10 IP ${ip} (${count} of ${w.requests}, cutoff ${cutoff}) reported in ${JSON.stringify(r.top.clientIps.entries)}`,
      );
    }
  }
}
