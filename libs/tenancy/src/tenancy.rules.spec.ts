import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  consumerGroupPrefix,
  credentialPrincipal,
  customerIdOfTopic,
  customerTopic,
  explainInvalidCustomerId,
  InvalidCustomerIdError,
  isCustomerId,
  parseCustomerId,
} from './tenancy.rules';

describe('customer id', () => {
  const valid = ['a', '0', 'acme', 'acme-eu-1', 'a1-b2', 'x'.repeat(63), '9lives'];
  for (const id of valid) {
    it(`accepts ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)}`, () => {
      assert.equal(isCustomerId(id), true);
      assert.equal(parseCustomerId(id), id);
    });
  }

  const hostile: Array<[unknown, RegExp]> = [
    ['', /empty/],
    ['Acme', /lowercase/],
    ['ACME', /lowercase/],
    ['..', /only lowercase letters/],
    ['../etc', /only lowercase letters/],
    ['a/b', /only lowercase letters/],
    ['a.b', /only lowercase letters/],
    ['a b', /only lowercase letters/],
    [' acme', /only lowercase letters/],
    ['acme\n', /only lowercase letters/],
    ['acme\0', /only lowercase letters/],
    ['acmé', /only lowercase letters/],
    ['客户', /only lowercase letters/],
    ['a_b', /only lowercase letters/],
    ['*', /only lowercase letters/],
    ['x'.repeat(64), /at most 63 characters \(got 64\)/],
    ['x'.repeat(10_000), /at most 63/],
    ['-acme', /start or end/],
    ['acme-', /start or end/],
    ['-', /start or end/],
    [42, /string/],
    [null, /string/],
    [undefined, /string/],
    [{ toString: () => 'acme' }, /string/],
  ];
  for (const [input, reason] of hostile) {
    it(`rejects ${JSON.stringify(String(input)).slice(0, 30)} with a reason`, () => {
      assert.equal(isCustomerId(input), false);
      assert.match(explainInvalidCustomerId(input) ?? '', reason);
      assert.throws(
        () => parseCustomerId(input),
        (err: unknown) => err instanceof InvalidCustomerIdError && reason.test(err.message),
      );
    });
  }
});

describe('Kafka names', () => {
  const acme = parseCustomerId('acme');

  it('derives the topic and the consumer group prefix', () => {
    assert.equal(customerTopic(acme), 'cdn-logs.acme');
    assert.equal(consumerGroupPrefix(acme), 'acme.');
  });

  it("keeps a prefix id's group prefix from covering a longer id's groups", () => {
    // "acme." can never be a prefix of another customer's groups: ids contain no dot.
    const longer = parseCustomerId('acme-eu');
    assert.equal(`${consumerGroupPrefix(longer)}g1`.startsWith(consumerGroupPrefix(acme)), false);
  });

  it('maps customer topics back to their customer and refuses others', () => {
    assert.equal(customerIdOfTopic('cdn-logs.acme'), 'acme');
    assert.equal(customerIdOfTopic('cdn-logs.'), undefined);
    assert.equal(customerIdOfTopic('cdn-logs.Acme'), undefined);
    assert.equal(customerIdOfTopic('cdn-logs.a.b'), undefined);
    assert.equal(customerIdOfTopic('logstream.tenants'), undefined);
  });

  it('gives each credential its own principal', () => {
    assert.equal(credentialPrincipal(acme, 'k3x9'), 'customer.acme.k3x9');
    assert.notEqual(credentialPrincipal(acme, 'a1'), credentialPrincipal(acme, 'a2'));
    assert.throws(() => credentialPrincipal(acme, 'A,CN=admin'), /credential id/);
    assert.throws(() => credentialPrincipal(acme, ''), /credential id/);
  });
});
