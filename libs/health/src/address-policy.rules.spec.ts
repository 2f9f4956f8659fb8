import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusedAddress } from './address-policy.rules';

const strict = { allowLoopback: false, allowPrivate: false };

describe('webhook address policy', () => {
  it('refuses loopback, private, link-local, CGNAT and reserved addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::10.0.0.1',
    ]) {
      assert.ok(refusedAddress(ip, strict), `${ip} must be refused`);
    }
  });

  it('lets public addresses through, and loopback or private only when allowed', () => {
    for (const ip of ['93.184.216.34', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(refusedAddress(ip, strict), undefined, ip);
    }
    assert.equal(
      refusedAddress('127.0.0.1', { allowLoopback: true, allowPrivate: false }),
      undefined,
    );
    assert.equal(refusedAddress('::1', { allowLoopback: true, allowPrivate: false }), undefined);
    assert.ok(refusedAddress('10.0.0.1', { allowLoopback: true, allowPrivate: false }));
    assert.equal(
      refusedAddress('10.0.0.1', { allowLoopback: true, allowPrivate: true }),
      undefined,
    );
    // Link-local (cloud metadata) stays refused whatever the allowances.
    assert.ok(refusedAddress('169.254.169.254', { allowLoopback: true, allowPrivate: true }));
  });

  it("refuses the platform's own addresses", () => {
    const policy = { ...strict, ownAddresses: ['198.51.99.7'] };
    assert.match(refusedAddress('198.51.99.7', policy) ?? '', /own addresses/);
  });
});
