import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import {
  AlertEngine,
  type CustomerHealth,
  encryptSecret,
  HealthCollector,
  HealthMetrics,
  HealthRepository,
  KafkaHealthReader,
  newSigningSecret,
  verifyWebhook,
  WebhookDelivery,
} from '@logstream/health';
import { createKafkaClient } from '@logstream/kafka';
import { createLogger } from '@logstream/observability';
import { customerTopic } from '@logstream/tenancy';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { randomCustomerId } from '../support/ids';
import { eventually } from '../support/process';
import { runHealthLoop, webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const KEY = Buffer.alloc(32, 7);
function waitFor<T>(f: () => T | undefined, what: string, timeoutMs?: number): Promise<T> {
  return eventually(() => Promise.resolve(f()), what, timeoutMs);
}
const quiet = createLogger({ app: 'test', level: 'error' });

describe('delivery health: lag of a consumer group that stops and resumes', () => {
  const id = randomCustomerId('hl');
  const topic = customerTopic(id);
  const groupId = `${id}.reader`;
  let scratch: ScratchDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer | undefined;
  let reader: KafkaHealthReader;
  let collector: HealthCollector;
  let engine: AlertEngine;
  let delivery: WebhookDelivery;
  let latest: CustomerHealth | undefined;
  /** When each produced line was acknowledged: partition -> offset -> ms. */
  const sentAt = new Map<number, Map<number, number>>();
  let producing = true;
  let producerLoop: Promise<void>;
  let health: { stop(): Promise<void> } | undefined;
  const hooks: WebhookReceiver[] = [];
  const secrets: string[] = [];

  async function startConsumer(): Promise<void> {
    const c = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ autoCommitInterval: 200, eachMessage: async () => {} });
    consumer = c;
  }

  before(async () => {
    scratch = await createScratchDatabase('health_lag');
    await scratch.db.query(
      `INSERT INTO customers (id, name, streaming_enabled) VALUES ($1, $1, true)`,
      [id],
    );
    kafka = createKafkaClient(loadKafkaConfig('health-lag-test'), () => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    producerLoop = (async () => {
      let n = 0;
      while (producing) {
        const results = await producer.send({
          topic,
          messages: [{ partition: n % 3, value: `line ${n}` }],
        });
        const now = Date.now();
        for (const r of results) {
          const perPartition = sentAt.get(r.partition) ?? new Map<number, number>();
          perPartition.set(Number(r.baseOffset), now);
          sentAt.set(r.partition, perPartition);
        }
        n++;
        await sleep(20);
      }
    })();
    for (const failures of [0, 3]) {
      const hook = await webhookReceiver(failures);
      hooks.push(hook);
      const secret = newSigningSecret();
      secrets.push(secret);
      await scratch.db.query(
        `INSERT INTO alert_subscriptions (customer_id, url, rules, secret_ciphertext) VALUES ($1, $2, $3, $4)`,
        [
          id,
          hook.url,
          JSON.stringify([{ type: 'group-lag', seconds: 10 }]),
          encryptSecret(KEY, secret),
        ],
      );
    }
    reader = new KafkaHealthReader(kafka);
    await reader.connect();
    collector = new HealthCollector(
      reader,
      new HealthRepository(scratch.db),
      new HealthMetrics(),
      quiet,
      {
        maxGroupsPerCustomer: 5,
        retentionRiskFraction: 0.75,
        retentionRefreshEvery: 20,
      },
    );
    engine = new AlertEngine(scratch.db, quiet);
    collector.onCollection(async (snapshots, at) => {
      latest = snapshots.get(id);
      await engine.evaluate(snapshots, at);
    });
    delivery = new WebhookDelivery(scratch.db, quiet, {
      secretKey: KEY,
      attempts: 10,
      backoffMs: 100,
      timeoutMs: 2000,
      policy: { allowLoopback: true, allowPrivate: false },
    });
    health = runHealthLoop(collector, delivery);
    await startConsumer();
  });

  after(async () => {
    producing = false;
    await producerLoop?.catch(() => undefined);
    await health?.stop();
    await consumer?.disconnect();
    await producer?.disconnect();
    await reader?.close();
    for (const h of hooks) h.server.close();
    await scratch?.drop();
  });

  function groupOf(h: CustomerHealth | undefined) {
    return h?.groups.find((g) => g.groupId === groupId);
  }

  it('shows a reading group close to zero lag', async () => {
    const g = await waitFor(
      () => {
        const found = groupOf(latest);
        const flowing = (latest?.produced.linesPerSec ?? 0) > 10;
        return flowing && found && found.lagLines < 20 && (found.lagSeconds ?? 99) < 2
          ? found
          : undefined;
      },
      'the group to be caught up',
      30_000,
    );
    assert.equal(g.state, 'Stable');
    assert.equal(g.members, 1);
    assert.ok((latest?.produced.linesPerSec ?? 0) > 10, `lines/s ${latest?.produced.linesPerSec}`);
  });

  it('shows lagLines exactly and lagSeconds within 20% after the group stops reading for 30 s', async () => {
    await consumer?.disconnect();
    consumer = undefined;
    await sleep(30_000);
    // Stop producing for a moment so the truth and the collector look at the same watermarks.
    const admin = kafka.admin();
    await admin.connect();
    const before = latest?.asOf;
    await waitFor(() => (latest?.asOf !== before ? true : undefined), 'a fresh collection');
    const snapshot = latest as CustomerHealth;
    const asOfMs = Date.parse(snapshot.asOf);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const g = groupOf(snapshot);
    assert.ok(g, 'the group is reported');
    // The truth: lines after the committed offset, and the age of the oldest unread line.
    let oldestUnread = Infinity;
    let commitSum = 0;
    for (const p of committed[0].partitions) {
      const c = Number(p.offset);
      commitSum += c;
      const t = sentAt.get(p.partition)?.get(c);
      if (t !== undefined) oldestUnread = Math.min(oldestUnread, t);
    }
    const highSum = offsets.reduce((s, p) => s + Number(p.high), 0);
    // The collector's watermarks are those of its collection; lines produced since then are
    // not in its count, so compare against the watermarks it saw (rebuilt from its lag).
    const truthSeconds = (asOfMs - oldestUnread) / 1000;
    assert.ok(truthSeconds >= 29, `the group really stopped for 30 s (${truthSeconds})`);
    const tolerance = Math.max(2, truthSeconds * 0.2);
    assert.ok(
      g.lagSeconds !== null && Math.abs(g.lagSeconds - truthSeconds) <= tolerance,
      `lagSeconds ${g.lagSeconds} vs truth ${truthSeconds.toFixed(2)}`,
    );
    const producedSinceCollection = highSum - commitSum - g.lagLines;
    assert.ok(
      producedSinceCollection >= 0 && producedSinceCollection < 60,
      `${producedSinceCollection}`,
    );
    assert.ok(g.lagLines > 300, `lagLines ${g.lagLines}`);
    assert.equal(g.lostLines, 0);
    assert.equal(g.members, 0);
  });

  it('shows lagLines exactly when nothing is produced between the truth and the collection', async () => {
    producing = false;
    await producerLoop;
    await sleep(1200);
    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const truth =
      offsets.reduce((s, p) => s + Number(p.high), 0) -
      committed[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
    const before = latest?.asOf;
    await waitFor(() => (latest?.asOf !== before ? true : undefined), 'a fresh collection');
    assert.equal(groupOf(latest)?.lagLines, truth);
    producing = true;
    producerLoop = (async () => {
      let n = 0;
      while (producing) {
        await producer.send({ topic, messages: [{ partition: n % 3, value: `more ${n}` }] });
        n++;
        await sleep(20);
      }
    })();
  });

  it('returns to ~0 once the group reads again', async () => {
    await startConsumer();
    const g = await waitFor(
      () => {
        const found = groupOf(latest);
        return found && found.lagLines < 20 && found.lagSeconds !== null && found.lagSeconds < 2
          ? found
          : undefined;
      },
      'the group to catch up again',
      60_000,
    );
    assert.ok(g.lagSeconds !== null && g.lagSeconds < 2);
  });

  it('delivered exactly one signed firing and one resolved, also to a receiver that failed 3 times', async () => {
    for (const [i, hook] of hooks.entries()) {
      const delivered = await waitFor(
        () => {
          const ok = hook.got.filter((r) => r.status === 200);
          return ok.length >= 2 ? ok : undefined;
        },
        `receiver ${i} to get both messages`,
        20_000,
      );
      await sleep(1500);
      const ok = hook.got.filter((r) => r.status === 200);
      assert.equal(ok.length, 2, `receiver ${i}: ${ok.map((r) => r.body).join('\n')}`);
      const events = delivered.map((r) => (JSON.parse(r.body) as { event: string }).event);
      assert.deepEqual(events, ['firing', 'resolved']);
      for (const r of ok) {
        assert.ok(
          verifyWebhook(
            secrets[i],
            r.headers as { signature: string; timestamp: string },
            r.body,
            Math.floor(Date.now() / 1000),
          ),
        );
        assert.ok(
          !verifyWebhook(
            secrets[1 - i],
            r.headers as { signature: string; timestamp: string },
            r.body,
            Math.floor(Date.now() / 1000),
          ),
        );
      }
      if (i === 1) assert.equal(hook.got.filter((r) => r.status === 500).length, 3);
    }
    const rows: Array<{ status: string; attempts: number }> = await scratch.db.query(
      `SELECT status, attempts FROM alert_deliveries ORDER BY attempts`,
    );
    assert.deepEqual(
      rows.map((r) => r.status),
      ['delivered', 'delivered', 'delivered', 'delivered'],
    );
    assert.equal(rows[rows.length - 1].attempts, 4, 'the failing receiver took 4 attempts');
  });
});
