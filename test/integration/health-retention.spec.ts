import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import {
  type CustomerHealth,
  HealthCollector,
  HealthMetrics,
  HealthRepository,
  KafkaHealthReader,
} from '@logstream/health';
import { createKafkaClient } from '@logstream/kafka';
import { createLogger } from '@logstream/observability';
import { customerTopic } from '@logstream/tenancy';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { randomCustomerId } from '../support/ids';
import { eventually } from '../support/process';

function waitFor<T>(f: () => T | undefined, what: string, timeoutMs?: number): Promise<T> {
  return eventually(() => Promise.resolve(f()), what, timeoutMs);
}

describe('delivery health: a group that falls behind a short retention', () => {
  const id = randomCustomerId('hr');
  const topic = customerTopic(id);
  const groupId = `${id}.slow`;
  const committedAt = 5;
  let scratch: ScratchDatabase;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let reader: KafkaHealthReader;
  let collector: HealthCollector;
  /** Every collection's view of the group, in order. */
  const seen: Array<{ atRisk: boolean; lostLines: number; low: number; asOf: string }> = [];
  let latest: CustomerHealth | undefined;
  let running = true;
  let loops: Promise<unknown>;

  before(async () => {
    scratch = await createScratchDatabase('health_retention');
    await scratch.db.query(
      `INSERT INTO customers (id, name, streaming_enabled) VALUES ($1, $1, true)`,
      [id],
    );
    kafka = createKafkaClient(loadKafkaConfig('health-retention-test'), () => undefined);
    admin = kafka.admin();
    await admin.connect();
    // Segments roll every second and go once 12 s old; the broker checks every 10 s.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: [
            { name: 'retention.ms', value: '12000' },
            { name: 'segment.ms', value: '1000' },
            { name: 'file.delete.delay.ms', value: '1000' },
          ],
        },
      ],
    });
    reader = new KafkaHealthReader(kafka);
    await reader.connect();
    collector = new HealthCollector(
      reader,
      new HealthRepository(scratch.db),
      new HealthMetrics(),
      createLogger({ app: 'test', level: 'error' }),
      { maxGroupsPerCustomer: 5, retentionRiskFraction: 0.5, retentionRefreshEvery: 20 },
    );
    collector.onCollection((snapshots) => {
      latest = snapshots.get(id);
      return Promise.resolve();
    });
    // A first collection before any line, so the history holds when the lines came.
    await collector.collectOnce();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (let i = 0; i < 10; i++) await producer.send({ topic, messages: [{ value: `l${i}` }] });
    // The group read 5 lines and stopped: its committed offset stays at 5.
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [{ partition: 0, offset: String(committedAt) }],
    });
    loops = Promise.all([
      (async () => {
        let n = 10;
        while (running) {
          await producer.send({ topic, messages: [{ value: `l${n++}` }] });
          await sleep(50);
        }
      })(),
      (async () => {
        while (running) {
          const result = await collector.collectOnce().catch((err: unknown) => {
            console.error('collection failed', err);
            return undefined;
          });
          const g = result?.snapshots.get(id)?.groups.find((x) => x.groupId === groupId);
          const offsets = await admin.fetchTopicOffsets(topic);
          if (g && result) {
            seen.push({
              atRisk: g.atRisk,
              lostLines: g.lostLines,
              low: Number(offsets[0].low),
              asOf: result.at.toISOString(),
            });
          }
          await sleep(400);
        }
      })(),
    ]);
  });

  after(async () => {
    running = false;
    await loops?.catch(() => undefined);
    await producer?.disconnect();
    await admin?.disconnect();
    await reader?.close();
    await scratch?.drop();
  });

  it('shows atRisk before any line is lost, then lostLines equal to the lines deleted unread', async () => {
    await waitFor(
      () => seen.find((s) => s.lostLines > 0),
      'retention to delete unread lines',
      90_000,
    );
    const firstRisk = seen.findIndex((s) => s.atRisk);
    const firstLoss = seen.findIndex((s) => s.lostLines > 0);
    assert.ok(
      firstRisk >= 0 && firstRisk < firstLoss,
      `atRisk at ${firstRisk}, loss at ${firstLoss}`,
    );
    assert.equal(seen[firstRisk].lostLines, 0);
    assert.equal(latest?.retention.ms, 12_000);
    // Lines really deleted before the group read them: the low watermark minus its offset,
    // read right after the same collection (retention moves in whole segments, seconds apart).
    const stable = await waitFor(
      () => {
        const last = seen[seen.length - 1];
        const prev = seen[seen.length - 2];
        return last && prev && last.low === prev.low && last.lostLines > 0 ? last : undefined;
      },
      'a collection between two deletions',
      30_000,
    );
    assert.equal(stable.lostLines, stable.low - committedAt);
    assert.ok(stable.atRisk);
  });

  it('keeps counting those lines once the group skips ahead to the oldest retained line', async () => {
    const before = seen[seen.length - 1];
    // The consumer resets to the earliest offset, as auto.offset.reset=earliest does.
    const low = Number((await admin.fetchTopicOffsets(topic))[0].low);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: String(low) }] });
    const after = await waitFor(() => {
      const g = latest?.groups.find((x) => x.groupId === groupId);
      return g && g.lastCommitAt !== null && Date.parse(g.lastCommitAt) > Date.parse(before.asOf)
        ? g
        : undefined;
    }, 'a collection after the reset');
    assert.ok(after.lostLines >= before.lostLines, `${after.lostLines} >= ${before.lostLines}`);
    assert.ok(after.lostLines <= low - committedAt, `${after.lostLines} <= ${low - committedAt}`);
  });
});
