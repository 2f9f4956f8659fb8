import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptSecret, encryptSecret, newSigningSecret } from './secret-box.rules';
import { signWebhook, verifyWebhook } from './webhook-signature.rules';

describe('webhook signatures and stored secrets', () => {
  it('signs HMAC-SHA256 of "<timestamp>.<body>", which a receiver verifies as the docs say', () => {
    const secret = newSigningSecret();
    const body = '{"event":"firing"}';
    const sig = signWebhook(secret, 1_800_000_000, body);
    const expected = createHmac('sha256', secret).update(`1800000000.${body}`).digest('hex');
    assert.equal(sig, `v1=${expected}`);
    const headers = { signature: sig, timestamp: '1800000000' };
    assert.ok(verifyWebhook(secret, headers, body, 1_800_000_010));
    assert.ok(!verifyWebhook(secret, headers, `${body} `, 1_800_000_010), 'body changed');
    assert.ok(!verifyWebhook(newSigningSecret(), headers, body, 1_800_000_010), 'other secret');
    assert.ok(!verifyWebhook(secret, headers, body, 1_800_001_000), 'replayed later');
  });

  it('stores secrets encrypted: readable back with the key only', () => {
    const key = Buffer.alloc(32, 1);
    const secret = newSigningSecret();
    const stored = encryptSecret(key, secret);
    assert.ok(!stored.includes(secret.slice(6)));
    assert.equal(decryptSecret(key, stored), secret);
    assert.throws(() => decryptSecret(Buffer.alloc(32, 2), stored));
  });
});
