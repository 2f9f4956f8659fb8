import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openSecret, sealSecret, SecretUnreadableError, secretContext } from './secret-box.rules';

describe('secrets at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('round-trips and never holds the plaintext', () => {
    const sealed = sealSecret(key, secretContext('acme', 'secret'), 'wJalrXUtnFEMI/K7MDENG');
    assert.ok(!sealed.includes('wJalrXUtnFEMI'));
    assert.equal(openSecret(key, secretContext('acme', 'secret'), sealed), 'wJalrXUtnFEMI/K7MDENG');
    assert.notEqual(
      sealed,
      sealSecret(key, secretContext('acme', 'secret'), 'wJalrXUtnFEMI/K7MDENG'),
    );
  });

  it('does not open under another customer, purpose or key, or when tampered with', () => {
    const sealed = sealSecret(key, secretContext('acme', 'secret'), 's3cr3t');
    assert.throws(
      () => openSecret(key, secretContext('globex', 'secret'), sealed),
      SecretUnreadableError,
    );
    assert.throws(
      () => openSecret(key, secretContext('acme', 'challenge'), sealed),
      SecretUnreadableError,
    );
    assert.throws(
      () => openSecret(randomBytes(32), secretContext('acme', 'secret'), sealed),
      SecretUnreadableError,
    );
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + parts[3]).toString('base64url');
    assert.throws(
      () => openSecret(key, secretContext('acme', 'secret'), parts.join('.')),
      SecretUnreadableError,
    );
  });
});
