import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCustomerId } from '@logstream/tenancy';
import { decodeTenantRecord, encodeTenantRecord, tenantRecord } from './tenant-record.types';

const acme = parseCustomerId('acme');
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('tenant registry records', () => {
  it('round-trips a record', () => {
    const record = tenantRecord(acme, true, 7, new Date('2026-01-02T03:04:05Z'));
    assert.deepEqual(decodeTenantRecord(Buffer.from('acme'), encodeTenantRecord(record)), {
      kind: 'upsert',
      record,
    });
    assert.equal(record.topic, 'cdn-logs.acme');
  });

  it('reads a null or empty value as a tombstone', () => {
    assert.deepEqual(decodeTenantRecord('acme', null), { kind: 'tombstone', customerId: 'acme' });
    assert.deepEqual(decodeTenantRecord('acme', Buffer.alloc(0)), {
      kind: 'tombstone',
      customerId: 'acme',
    });
  });

  it('keeps unknown extra fields from breaking the reader', () => {
    const v = { ...tenantRecord(acme, false, 1), futureField: { x: 1 } };
    const d = decodeTenantRecord('acme', json(v));
    assert.equal(d.kind, 'upsert');
  });

  const good = tenantRecord(acme, true, 1);
  const invalid: Array<[string, string | null, Buffer | null, RegExp]> = [
    ['a missing key', null, json(good), /key/],
    ['an invalid key', '../x', json(good), /key/],
    ['not JSON', 'acme', Buffer.from('{nope'), /not JSON/],
    ['an array', 'acme', json([1]), /customerId/],
    ['a key/value mismatch', 'acme', json({ ...good, customerId: 'other' }), /does not match/],
    ['another customer topic', 'acme', json({ ...good, topic: 'cdn-logs.other' }), /topic/],
    ['a string enabled', 'acme', json({ ...good, enabled: 'true' }), /enabled/],
    ['a negative generation', 'acme', json({ ...good, generation: -1 }), /generation/],
    ['a bad time', 'acme', json({ ...good, updatedAt: 'yesterday' }), /updatedAt/],
    ['a JSON null', 'acme', json(null), /object/],
  ];
  for (const [what, key, value, reason] of invalid) {
    it(`reports ${what} as invalid`, () => {
      const d = decodeTenantRecord(key, value);
      assert.equal(d.kind, 'invalid');
      assert.match(d.kind === 'invalid' ? d.reason : '', reason);
    });
  }
});
