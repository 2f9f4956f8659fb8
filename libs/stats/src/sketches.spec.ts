import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '@logstream/traffic';
import { HyperLogLog } from './hyperloglog.sketch';
import { bytesKey, hllHashOfKey, ipKey, ipv4Value } from './key-hash.rules';
import { SpaceSaving } from './space-saving.sketch';

function keyOf(label: string): number {
  const b = Buffer.from(label);
  return bytesKey(b, 0, b.length);
}

describe('key hashing', () => {
  it('keys an IPv4 address exactly and anything else above 2^32', () => {
    const b = Buffer.from('10.0.0.255');
    assert.equal(ipv4Value(b, 0, b.length), 10 * 2 ** 24 + 255);
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '::1', '']) {
      const x = Buffer.from(bad);
      assert.equal(ipv4Value(x, 0, x.length), -1, bad);
    }
    const v6 = Buffer.from('2001:db8::1');
    assert.ok(ipKey(v6, 0, v6.length) >= 2 ** 32);
    assert.ok(Number.isSafeInteger(ipKey(v6, 0, v6.length)));
  });

  it('gives distinct keys to 200,000 distinct strings', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(keyOf(`/path/${i}`));
    assert.equal(seen.size, 200_000);
  });
});

describe('HyperLogLog (p = 14, standard error 0.81%)', () => {
  it('estimates within 3 standard errors across cardinalities (property, seeded)', () => {
    const random = seededRandom(42);
    for (const n of [0, 1, 10, 100, 1_000, 20_000, 100_000, 400_000]) {
      const hll = new HyperLogLog(14);
      const offset = Math.floor(random() * 2 ** 31);
      for (let i = 0; i < n; i++) hll.add(hllHashOfKey(offset + i));
      // Duplicates change nothing.
      for (let i = 0; i < Math.min(n, 1000); i++) hll.add(hllHashOfKey(offset + i));
      const e = hll.estimate();
      const bound = Math.max(1, 3 * HyperLogLog.standardError(14) * n);
      assert.ok(Math.abs(e - n) <= bound, `n=${n} estimate=${e}`);
    }
  });

  it('merges to the sketch of the union and survives serialisation', () => {
    const a = new HyperLogLog(14);
    const b = new HyperLogLog(14);
    const both = new HyperLogLog(14);
    for (let i = 0; i < 50_000; i++) {
      const h = hllHashOfKey(i);
      (i % 3 === 0 ? a : b).add(h);
      both.add(h);
    }
    a.merge(b);
    assert.deepEqual(a.registers, both.registers);
    const copy = HyperLogLog.deserialize(14, a.serialize());
    assert.equal(copy.estimate(), a.estimate());
    assert.ok(new HyperLogLog(14).serialize().length < 100, 'an empty sketch packs small');
  });
});

describe('Space-Saving (property tests over seeded streams)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`keeps the heavy items and bounds every count (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const k = 10 + Math.floor(random() * 40);
      const distinct = 5 + Math.floor(random() * 2000);
      const n = 1 + Math.floor(random() * 30_000);
      const skew = random() * 2;
      const truth = new Map<string, number>();
      const s = new SpaceSaving(k);
      for (let i = 0; i < n; i++) {
        const item = `k${Math.floor(distinct * random() ** (1 + skew))}`;
        truth.set(item, (truth.get(item) ?? 0) + 1);
        s.offer(keyOf(item), 1, item);
      }
      const entries = s.entries();
      assert.ok(entries.length <= k);
      assert.equal(s.total, n);
      // Every offer adds its weight to exactly one counter.
      assert.equal(
        entries.reduce((sum, e) => sum + e.count, 0),
        n,
      );
      if (entries.length < k) {
        for (const e of entries) assert.equal(e.count, truth.get(e.key), 'exact until full');
      }
      for (const e of entries) {
        const t = truth.get(e.key) ?? 0;
        assert.ok(
          e.count - e.error <= t && t <= e.count,
          `${e.key}: ${t} vs ${e.count}/${e.error}`,
        );
        assert.ok(e.error <= n / k);
      }
      assert.ok(s.maxError() <= n / k);
      const held = new Set(entries.map((e) => e.key));
      for (const [item, t] of truth) if (t > n / k) assert.ok(held.has(item), `${item} (${t})`);
      for (let i = 1; i < entries.length; i++) assert.ok(entries[i - 1].count >= entries[i].count);
    });
  }

  it('restores to the same counters', () => {
    const s = new SpaceSaving(5);
    for (const x of 'aaaaabbbbcccdde fgh'.split('')) s.offer(keyOf(x), 1, x);
    const copy = SpaceSaving.restore(5, s.total, s.entries(), keyOf);
    assert.deepEqual(copy.entries(), s.entries());
    copy.offer(keyOf('a'), 1, 'a');
    s.offer(keyOf('a'), 1, 'a');
    assert.deepEqual(copy.entries(), s.entries());
  });

  it('labels a key from its bytes only when it takes a counter', () => {
    const s = new SpaceSaving(2);
    const line = Buffer.from('xx /a yy');
    s.offerBytes(keyOf('/a'), 1, line, 3, 5);
    s.offerBytes(keyOf('/a'), 1, line, 3, 5);
    assert.deepEqual(s.entries(), [{ key: '/a', count: 2, error: 0 }]);
  });
});
