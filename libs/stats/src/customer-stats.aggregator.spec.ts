import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownTrafficSource, TrafficTruth } from '@logstream/traffic';
import {
  type AggregatorOptions,
  CustomerStats,
  type FlushBatch,
} from './customer-stats.aggregator';
import { compileLogFormat } from './log-format.rules';
import type { StatsRecord } from './stats-record.types';
import { DEFAULT_SKETCH_OPTIONS } from './window-stats.aggregate';

const OPTIONS: AggregatorOptions = {
  format: compileLogFormat('combined-msec'),
  latenessMs: 5_000,
  sketch: DEFAULT_SKETCH_OPTIONS,
};
const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);

function value(edgeLine: string): Buffer {
  return Buffer.from(edgeLine.slice(edgeLine.indexOf(' ') + 1));
}

/** Final records by key, from flush batches (a later record of a key replaces an earlier one). */
function finals(batches: FlushBatch[]): Map<string, StatsRecord> {
  const out = new Map<string, StatsRecord>();
  for (const b of batches) for (const r of b.records) if (r.value.final) out.set(r.key, r.value);
  return out;
}

describe('customer statistics windows', () => {
  it('counts every line of a window exactly and closes it after the lateness bound', () => {
    const t10 = new TrafficTruth(10_000);
    const t60 = new TrafficTruth(60_000);
    const next = knownTrafficSource('acme', { seed: 1, clients: 300, hosts: 4 }, [t10, t60]);
    const stats = new CustomerStats('acme', OPTIONS);
    stats.track(0, 0, 0);
    const batches: FlushBatch[] = [];
    for (let i = 0; i < 13_000; i++) {
      const now = T0 + i * 10;
      stats.ingest(0, i, i + 1, value(next(now)), now);
      if (i % 500 === 0) {
        const b = stats.flush(now);
        if (b) {
          batches.push(b);
          stats.committed(b);
        }
      }
    }
    const last = stats.flush(T0 + 200_000);
    assert.ok(last);
    batches.push(last);
    const records = finals(batches);
    for (const [g, truth] of [
      ['10s', t10],
      ['1m', t60],
    ] as const) {
      for (const [start, w] of truth.of('acme')) {
        const r = records.get(`${g}|${new Date(start).toISOString()}`);
        assert.ok(r, `${g} ${start}`);
        assert.equal(r.requests, w.requests);
        assert.equal(r.bytes, w.bytes);
        assert.deepEqual(
          r.status,
          Object.fromEntries([...w.status].map(([c, n]) => [String(c), n])),
        );
        assert.equal(r.late, 0);
        assert.equal(r.unparsed, 0);
        const err = Math.abs(r.uniqueVisitors.estimate - w.ips.size) / w.ips.size;
        assert.ok(err <= 3 * r.uniqueVisitors.relativeStandardError, `visitors ${err}`);
        const reported = new Set(r.top.clientIps.entries.map((e) => e.key));
        const top10 = [...w.ips].sort((a, b) => b[1] - a[1]).slice(0, 10);
        for (const [ip] of top10) assert.ok(reported.has(ip), `top ip ${ip} in ${g}`);
        for (const e of r.top.clientIps.entries) {
          const t = w.ips.get(e.key) ?? 0;
          assert.ok(e.count - e.error <= t && t <= e.count);
        }
      }
    }
  });

  it('counts unparsed lines and lines for closed windows, never in a window', () => {
    const stats = new CustomerStats('acme', OPTIONS);
    const line = (ms: number) =>
      Buffer.from(`1.2.3.4 - - [02/Dec/2026:06:00:00 +0000] "GET / HTTP/1.1" 200 7 "-" "ua" ${ms}`);
    stats.ingest(0, 0, 10, line(T0 + 1_000), T0 + 1_000);
    stats.ingest(0, 1, 10, Buffer.from('\u0000 not a line'), T0 + 1_000);
    stats.ingest(0, 2, 10, line(T0 + 30_000), T0 + 30_000);
    const b1 = stats.flush(T0 + 30_000);
    assert.ok(b1);
    stats.committed(b1);
    // 10 s windows ending at or before 25 s are closed now (frontier 30 s, lateness 5 s).
    stats.ingest(0, 3, 10, line(T0 + 2_000), T0 + 30_000);
    const b2 = stats.flush(T0 + 30_000);
    assert.ok(b2);
    const all = new Map<string, StatsRecord>();
    for (const b of [b1, b2]) for (const r of b.records) all.set(r.key, r.value);
    const first = all.get(`10s|${new Date(T0).toISOString()}`);
    assert.equal(first?.final, true);
    assert.equal(first?.requests, 1);
    const front = all.get(`10s|${new Date(T0 + 30_000).toISOString()}`);
    assert.equal(front?.requests, 1);
    assert.equal(front?.late, 1);
    const minute = all.get(`1m|${new Date(T0).toISOString()}`);
    assert.equal(minute?.final, false);
    assert.equal(minute?.requests, 3, 'the 1 m window is still open for the late line');
    const unparsed = [...all.values()].filter((r) => r.granularity === '10s');
    assert.equal(
      unparsed.reduce((n, r) => n + r.unparsed, 0),
      1,
    );
  });

  it('waits for a partition that is behind, not for one read to its end', () => {
    const stats = new CustomerStats('acme', OPTIONS);
    const line = (ms: number) =>
      Buffer.from(`1.2.3.4 - - [02/Dec/2026:06:00:00 +0000] "GET / HTTP/1.1" 200 7 "-" "ua" ${ms}`);
    stats.track(1, 0, 100);
    stats.ingest(0, 0, 1, line(T0 + 1_000), T0 + 60_000);
    const held = stats.flush(T0 + 60_000);
    assert.ok(
      held?.records.every((r) => !r.value.final),
      'partition 1 has unread lines',
    );
    stats.ingest(1, 99, 100, line(T0 + 2_000), T0 + 60_000);
    const released = stats.flush(T0 + 60_000);
    assert.ok(released?.records.some((r) => r.value.final && r.value.requests === 2));
  });

  it('resumes from its last committed records as if it had never stopped', () => {
    const make = () =>
      knownTrafficSource('acme', { seed: 9, clients: 100, hosts: 2 }, [new TrafficTruth(10_000)]);
    const linesA = make();
    const linesB = make();
    const whole = new CustomerStats('acme', OPTIONS);
    let part = new CustomerStats('acme', OPTIONS);
    const wholeBatches: FlushBatch[] = [];
    const partBatches: FlushBatch[] = [];
    let lastCommitted: FlushBatch | undefined;
    for (let i = 0; i < 6_000; i++) {
      const now = T0 + i * 20;
      whole.ingest(0, i, i + 1, value(linesA(now)), now);
      part.ingest(0, i, i + 1, value(linesB(now)), now);
      if (i % 700 === 699) {
        for (const [s, list] of [
          [whole, wholeBatches],
          [part, partBatches],
        ] as const) {
          const b = s.flush(now);
          if (b) {
            list.push(b);
            s.committed(b);
          }
        }
        lastCommitted = partBatches[partBatches.length - 1];
      }
      if (i === 3_000 && lastCommitted) {
        // A crash: everything since the last commit is lost; resume from its records.
        const resumed = new CustomerStats('acme', OPTIONS);
        resumed.restore(lastCommitted.records.map((r) => r.value));
        const from = resumed.positions().get(0) ?? 0;
        const replay = make();
        for (let j = 0; j < from; j++) replay(T0 + j * 20);
        for (let j = from; j <= i; j++)
          resumed.ingest(0, j, j + 1, value(replay(T0 + j * 20)), T0 + j * 20);
        part = resumed;
        // From here on the original generator continues in step with the replayed one.
      }
    }
    const end = T0 + 500_000;
    for (const [s, list] of [
      [whole, wholeBatches],
      [part, partBatches],
    ] as const) {
      const b = s.flush(end);
      if (b) list.push(b);
    }
    const a = finals(wholeBatches);
    const b = finals(partBatches);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [key, r] of a) {
      const o = b.get(key);
      assert.equal(o?.requests, r.requests, key);
      assert.equal(o?.bytes, r.bytes, key);
      assert.deepEqual(o?.status, r.status, key);
      assert.equal(o?.uniqueVisitors.estimate, r.uniqueVisitors.estimate, key);
      assert.deepEqual(o?.top, r.top, key);
    }
  });
});
