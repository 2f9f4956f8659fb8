import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddressKey, takeToken } from './rate-limit.rules';
import { RateLimiter } from './rate-limiter.service';

describe('rate limit rules', () => {
  it('a bucket allows its capacity at once, then one call per refill share, with the wait named', () => {
    const rule = { capacity: 3, refillMs: 3000 };
    let bucket;
    const waits: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) {
      const taken = takeToken(bucket, 1000, rule);
      bucket = taken.bucket;
      waits.push(taken.retryAfterMs);
    }
    assert.deepEqual(waits.slice(0, 3), [undefined, undefined, undefined]);
    assert.equal(waits[3], 1000);
    assert.equal(takeToken(bucket, 1999, rule).retryAfterMs !== undefined, true);
    assert.equal(takeToken(bucket, 2000, rule).retryAfterMs, undefined);
  });

  it('keys IPv4 by address (mapped or not) and IPv6 by its /64', () => {
    assert.equal(clientAddressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddressKey('::ffff:203.0.113.7'), '203.0.113.7');
    const net = clientAddressKey('2001:db8:1:2::1');
    assert.equal(net, '2001:db8:1:2::/64');
    for (const same of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0000:0000:0000:0042',
      '2001:DB8:1:2::abcd',
      '2001:db8:1:2::1%eth0',
    ]) {
      assert.equal(clientAddressKey(same), net, same);
    }
    assert.notEqual(clientAddressKey('2001:db8:1:3::1'), net);
    assert.equal(clientAddressKey('::1'), '0:0:0:0::/64');
    assert.equal(clientAddressKey('2001:db8::'), '2001:db8:0:0::/64');
    assert.equal(clientAddressKey(undefined), 'unknown');
    assert.equal(clientAddressKey('not an address'), 'unknown');
  });

  it('a limiter keeps one bucket per key over every call, and forgets refilled ones', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 2, refillMs: 1000 }, () => now);
    assert.equal(limiter.take('a'), undefined);
    assert.equal(limiter.take('a'), undefined);
    assert.ok((limiter.take('a') ?? 0) > 0, 'a is over its limit');
    assert.equal(limiter.take('b'), undefined, 'b has a bucket of its own');
    for (let i = 0; i < 10_000; i++) limiter.take(`old${i}`);
    now = 5000;
    for (let i = 0; i < 10_000; i++) limiter.take(`new${i}`);
    // The old buckets have refilled and went in a sweep; the new ones are still in use.
    assert.ok(limiter.size <= 10_001, `full buckets are swept (${limiter.size} left)`);
    assert.ok(limiter.size >= 9_999);
  });
});
