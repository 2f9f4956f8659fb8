import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControlError } from './control.errors';
import { customerSafeError } from './customer-safe-error.rules';
import { MAX_TOKEN_TTL_S, tokenExpiry } from './token-lifetime.rules';

const invalid = (pattern: RegExp) => (err: unknown) =>
  err instanceof ControlError && err.kind === 'invalid' && pattern.test(err.message);

describe('token lifetime', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('is unbounded by default, or set by ttl or expiresAt', () => {
    assert.equal(tokenExpiry({}, now), null);
    assert.equal(tokenExpiry({ ttlSeconds: 3600 }, now)?.toISOString(), '2026-01-01T01:00:00.000Z');
    const at = new Date('2026-02-01T00:00:00Z');
    assert.equal(tokenExpiry({ expiresAt: at }, now), at);
  });

  it('refuses both forms at once, a past expiry and one beyond the maximum', () => {
    assert.throws(
      () => tokenExpiry({ ttlSeconds: 60, expiresAt: new Date(now + 1e6) }, now),
      invalid(/not both/),
    );
    assert.throws(() => tokenExpiry({ expiresAt: new Date(now) }, now), invalid(/future/));
    assert.throws(
      () => tokenExpiry({ expiresAt: new Date(now + (MAX_TOKEN_TTL_S + 1) * 1000) }, now),
      invalid(/at most 10 years/),
    );
  });
});

describe('customer-safe error', () => {
  it('names no host, broker or principal, and gives a stable reference', () => {
    const raw =
      'sync-acls: KafkaJSProtocolError: broker kafka-3.internal:9093 refused User:logstream-provisioner';
    const safe = customerSafeError(raw);
    assert.ok(safe !== null);
    for (const leak of ['kafka-3', '9093', 'KafkaJS', 'logstream-provisioner', 'sync-acls']) {
      assert.ok(!safe.includes(leak), `"${leak}" in ${safe}`);
    }
    assert.equal(customerSafeError(raw), safe);
    assert.notEqual(customerSafeError(`${raw}!`), safe);
    assert.equal(customerSafeError(null), null);
  });
});
