import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { credentialPrincipal, parseCustomerId } from '@logstream/tenancy';
import {
  CUSTOMER_TOKEN_PREFIX,
  newCustomerToken,
  randomCredentialId,
  sha256Hex,
} from './secrets.rules';

describe('secrets', () => {
  it('makes credential ids that fit a principal and do not repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, randomCredentialId));
    assert.equal(ids.size, 2000);
    for (const id of ids) {
      assert.match(id, /^[a-z2-7]{16}$/);
      assert.doesNotThrow(() => credentialPrincipal(parseCustomerId('acme'), id));
    }
  });

  it('uses every symbol of the alphabet (no stuck bits)', () => {
    const seen = new Set(Array.from({ length: 200 }, randomCredentialId).join(''));
    assert.equal(seen.size, 32);
  });

  it('makes customer tokens with a prefix and 256 random bits', () => {
    const token = newCustomerToken();
    assert.ok(token.startsWith(CUSTOMER_TOKEN_PREFIX));
    assert.equal(Buffer.from(token.slice(CUSTOMER_TOKEN_PREFIX.length), 'base64url').length, 32);
    assert.notEqual(newCustomerToken(), token);
  });

  it('hashes tokens to lowercase hex SHA-256', () => {
    assert.equal(sha256Hex('abc'), createHash('sha256').update('abc').digest('hex'));
    assert.match(sha256Hex('ü'), /^[0-9a-f]{64}$/);
  });
});
