import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EDGE_STATS_RECORD_VERSION,
  type EdgeCustomerCounts,
  type EdgeStatsRecord,
} from '@logstream/registry';
import { EdgeStatsIndex } from './edge-stats.index';

const T0 = 1_767_000_000_000;

function rec(
  node: string,
  seq: number,
  at: number,
  customers: Record<string, EdgeCustomerCounts>,
  over: Partial<EdgeStatsRecord> = {},
): EdgeStatsRecord {
  return {
    v: EDGE_STATS_RECORD_VERSION,
    node,
    boot: `${node}-b1`,
    startedAt: T0,
    seq,
    at,
    intervalMs: 60_000,
    customers,
    ...over,
  };
}

describe('EdgeStatsIndex', () => {
  it('sums the nodes’ latest windows per customer and hands out each growth once', () => {
    const index = new EdgeStatsIndex(T0 - 1000);
    // Two nodes that started after the follower: counted from zero.
    assert.equal(index.apply(rec('a', 1, T0 + 60_000, { acme: [600, 60_000, 2, 1] })), 'counted');
    index.apply(rec('b', 1, T0 + 60_000, { acme: [400, 40_000, 0, 3], beta: [0, 0, 5, 0] }));
    index.apply(rec('a', 2, T0 + 120_000, { acme: [1200, 120_000, 2, 1] }));
    const first = index.take(T0 + 125_000);
    const acme = first.get('acme');
    assert.ok(acme);
    // a's latest window is 60..120 s (600 lines), b's 0..60 s (400 lines).
    assert.deepEqual(acme.drops, {
      routedLines: 1000,
      routedBytes: 100_000,
      inactive: 0,
      oversize: 3,
      nodes: 2,
      since: new Date(T0).toISOString(),
    });
    assert.equal(acme.bytesPerSec, 1666.667); // (60,000 + 40,000) bytes / 60 s, rounded
    // Everything counted so far, once: 1200 + 400 lines, 2 inactive, 1 + 3 oversize.
    assert.deepEqual(acme.added, {
      routedLines: 1600,
      routedBytes: 160_000,
      inactive: 2,
      oversize: 4,
    });
    assert.deepEqual(first.get('beta')?.added, {
      routedLines: 0,
      routedBytes: 0,
      inactive: 5,
      oversize: 0,
    });
    const second = index.take(T0 + 126_000);
    assert.deepEqual(second.get('acme')?.added.routedLines, 0);
  });

  it('takes a run older than the follower as a baseline, and ignores stale or repeated records', () => {
    const index = new EdgeStatsIndex(T0 + 100_000);
    assert.equal(index.apply(rec('a', 5, T0 + 90_000, { acme: [900, 9000, 9, 9] })), 'baseline');
    assert.equal(index.apply(rec('a', 6, T0 + 150_000, { acme: [950, 9500, 9, 10] })), 'counted');
    assert.equal(index.apply(rec('a', 6, T0 + 150_000, { acme: [950, 9500, 9, 10] })), 'stale');
    assert.equal(index.apply(rec('a', 4, T0 + 80_000, { acme: [1, 1, 1, 1] })), 'stale');
    assert.deepEqual(index.take(T0 + 151_000).get('acme')?.added, {
      routedLines: 50,
      routedBytes: 500,
      inactive: 0,
      oversize: 1,
    });
  });

  it('counts a restarted node from zero and drops a silent node from the windows', () => {
    const index = new EdgeStatsIndex(T0);
    index.apply(rec('a', 1, T0 + 60_000, { acme: [100, 1000, 0, 0] }));
    index.apply(
      rec(
        'a',
        1,
        T0 + 200_000,
        { acme: [30, 300, 0, 0] },
        { boot: 'a-b2', startedAt: T0 + 180_000 },
      ),
    );
    const now = index.take(T0 + 201_000).get('acme');
    assert.equal(now?.added.routedLines, 130);
    assert.equal(now?.drops.routedLines, 30);
    // Silent for more than two intervals: no window counts, nothing new to add.
    assert.equal(index.take(T0 + 200_000 + 130_000).get('acme'), undefined);
  });
});
