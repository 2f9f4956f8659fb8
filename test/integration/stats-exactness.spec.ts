import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { StatsRollupRepository } from '@logstream/persistence';
import { statsRecordKey, type StatsRecord } from '@logstream/stats';
import { customerStatsTopic, customerTopic, type CustomerId } from '@logstream/tenancy';
import { clfTime, knownTrafficSource, TrafficTruth } from '@logstream/traffic';
import type { AppProcess } from '../support/app-process';
import { randomCustomerId, randomToken } from '../support/ids';
import { createScratchDatabase } from '../support/database';
import { eventually } from '../support/process';
import {
  assertWindowMatches,
  createStatsCustomer,
  lineProducer,
  readStats,
  startAggregator,
} from '../support/stats';

const HOSTILE = [
  Buffer.from('garbage'),
  Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13]),
  Buffer.alloc(200_000, 0x41),
  Buffer.from('\u202e\u0000 "GET / HTTP/1.1" 200 5'),
];

/** Sends each edge line's value (id stripped, as the edge does) round-robin over 3 partitions. */
async function send(producer: Producer, id: CustomerId, lines: Buffer[], first = 0): Promise<void> {
  for (let i = 0; i < lines.length; i += 500) {
    await producer.send({
      topic: customerTopic(id),
      messages: lines
        .slice(i, i + 500)
        .map((value, j) => ({ value, partition: (first + i + j) % 3 })),
    });
  }
}

function value(edgeLine: string): Buffer {
  return Buffer.from(edgeLine.slice(edgeLine.indexOf(' ') + 1));
}

/** Waits until every truth window of `id` has a final record, and returns the records. */
async function finalsFor(
  id: CustomerId,
  truths: Record<'10s' | '1m', TrafficTruth>,
  timeoutMs: number,
): Promise<Map<string, StatsRecord>> {
  return eventually(
    async () => {
      const records = await readStats(customerStatsTopic(id));
      for (const g of ['10s', '1m'] as const) {
        for (const start of truths[g].of(id).keys()) {
          if (!records.get(statsRecordKey(g, start))?.final) return undefined;
        }
      }
      return records;
    },
    `final statistics of ${id}`,
    timeoutMs,
    1000,
  );
}

function assertAll(
  id: CustomerId,
  truths: Record<'10s' | '1m', TrafficTruth>,
  records: Map<string, StatsRecord>,
): number {
  let windows = 0;
  for (const g of ['10s', '1m'] as const) {
    for (const [start, w] of truths[g].of(id)) {
      const key = statsRecordKey(g, start);
      assertWindowMatches(`${id} ${key}`, records.get(key), w);
      windows++;
    }
  }
  return windows;
}

describe('traffic statistics against the real broker', () => {
  let kafka: Kafka;
  let admin: KafkaAdminService;
  let producer: Producer;
  const apps: AppProcess[] = [];

  before(async () => {
    kafka = createKafkaClient(loadKafkaConfig('logstream-test'));
    admin = new KafkaAdminService(kafka);
    await admin.connect();
    producer = await lineProducer(kafka);
  });

  after(async () => {
    for (const app of apps) if (app.running) app.kill('SIGKILL');
    await producer.disconnect();
    await admin.disconnect();
  });

  it('counts every window exactly (ground truth), hostile lines as unparsed and only in their own customer', async () => {
    const prefix = `s${randomToken()}`;
    const a = randomCustomerId(prefix);
    const b = randomCustomerId(prefix);
    const truths = { '10s': new TrafficTruth(10_000), '1m': new TrafficTruth(60_000) };
    for (const id of [a, b]) await createStatsCustomer(admin, id);
    // Two minutes of past traffic: once every partition is read, every window is due at once.
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    for (const [id, seed, n] of [
      [a, 1, 12_000],
      [b, 2, 3_000],
    ] as const) {
      const next = knownTrafficSource(id, { seed, clients: 400, hosts: 5 }, [
        truths['10s'],
        truths['1m'],
      ]);
      const lines: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        lines.push(value(next(t0 + Math.floor((i * 120_000) / n))));
        if (id === a && i % 1000 === 500) lines.push(...HOSTILE);
        // A line that names customer b, inside a's topic: a's unparsed, never b's.
        if (id === a && i === 7) {
          lines.push(
            Buffer.from(`${b} 9.9.9.9 - - ${clfTime(t0)} "GET / HTTP/1.1" 200 5 "-" "ua" ${t0}`),
          );
        }
      }
      await send(producer, id, lines);
    }
    const hostileInA = 12 * HOSTILE.length + 1;
    const app = startAggregator(`logstream-it-${randomToken()}`, `${prefix}-`);
    apps.push(app);
    const recordsA = await finalsFor(a, truths, 90_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${app.raw.slice(-30).join('\n')}`);
    });
    const recordsB = await finalsFor(b, truths, 30_000);
    assertAll(a, truths, recordsA);
    assertAll(b, truths, recordsB);
    for (const g of ['10s', '1m']) {
      const unparsed = (records: Map<string, StatsRecord>) =>
        [...records.values()]
          .filter((r) => r.granularity === g)
          .reduce((n, r) => n + r.unparsed, 0);
      assert.equal(unparsed(recordsA), hostileInA, `${g}: every hostile line counted once`);
      assert.equal(unparsed(recordsB), 0, `${g}: none in the other customer`);
    }
    assert.equal((await app.stop()).code, 0);
  });

  it('stays exact through SIGKILL mid-window, a restart, and two instances with one killed', async () => {
    const prefix = `s${randomToken()}`;
    const customers = [
      randomCustomerId(prefix),
      randomCustomerId(prefix),
      randomCustomerId(prefix),
    ];
    const truths = { '10s': new TrafficTruth(10_000), '1m': new TrafficTruth(60_000) };
    for (const id of customers) await createStatsCustomer(admin, id);
    const sources = customers.map((id, i) =>
      knownTrafficSource(id, { seed: 10 + i, clients: 300, hosts: 3 }, [
        truths['10s'],
        truths['1m'],
      ]),
    );
    const db = await createScratchDatabase('stats');
    for (const id of customers) {
      await db.db.query(`INSERT INTO customers (id, name) VALUES ($1, $1)`, [id]);
    }
    const group = `logstream-it-${randomToken()}`;
    const first = startAggregator(group, `${prefix}-`, db.url);
    const second = startAggregator(group, `${prefix}-`, db.url);
    apps.push(first, second);
    const started = Date.now();
    const events: Array<[number, () => void]> = [
      [7_000, () => first.kill('SIGKILL')],
      [10_000, () => apps.push(startAggregator(group, `${prefix}-`, db.url))],
      [15_000, () => second.kill('SIGKILL')],
    ];
    let sent = 0;
    // 25 s of live traffic, 400 lines/s over three customers, event time = now.
    while (Date.now() - started < 25_000) {
      const now = Date.now();
      for (const [i, id] of customers.entries()) {
        const lines = Array.from({ length: 20 + i * 10 }, () => value(sources[i](now)));
        await send(producer, id, lines, sent);
        sent += lines.length;
      }
      while (events.length > 0 && Date.now() - started >= events[0][0]) events.shift()![1]();
      await sleep(100);
    }
    let windows = 0;
    for (const id of customers) {
      const records = await finalsFor(id, truths, 90_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${apps.at(-1)!.raw.slice(-30).join('\n')}`);
      });
      windows += assertAll(id, truths, records);
      // The PostgreSQL rollups hold the same one-minute windows, exactly once each.
      const rows = await new StatsRollupRepository(db.db.manager).range(
        id,
        new Date(0),
        new Date(Date.now() + 3600_000),
      );
      const byStart = new Map(rows.map((r) => [r.windowStart.getTime(), r]));
      for (const [start, w] of truths['1m'].of(id)) {
        const row = byStart.get(start);
        assert.ok(row?.final, `${id} rollup ${start}`);
        assert.equal(row.requests, w.requests);
        assert.equal(row.bytes, w.bytes);
        assert.deepEqual(row.status, records.get(statsRecordKey('1m', start))?.status);
      }
    }
    await db.drop();
    assert.ok(windows >= 9, `checked ${windows} windows`);
    assert.ok(first.running === false && second.running === false);
  });
});
