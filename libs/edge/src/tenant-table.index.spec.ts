import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantRecord } from '@logstream/registry';
import type { CustomerId } from '@logstream/tenancy';
import { hashIdBytes } from './customer-id-bytes.rules';
import { TenantTable } from './tenant-table.index';

const upsert = (id: string, enabled = true, generation = 1) => ({
  kind: 'upsert' as const,
  record: tenantRecord(id as CustomerId, enabled, generation),
});

function find(table: TenantTable, id: string) {
  const bytes = Buffer.from(`${id} rest`);
  return table.find(bytes, 0, id.length, hashIdBytes(bytes, 0, id.length));
}

describe('TenantTable', () => {
  it('finds a tenant by the bytes of its id, and not by a prefix or extension of it', () => {
    const table = new TenantTable();
    table.apply(upsert('acme'));
    table.apply(upsert('acme-eu'));
    assert.equal(find(table, 'acme')?.id, 'acme');
    assert.equal(find(table, 'acme-eu')?.id, 'acme-eu');
    assert.equal(find(table, 'acm'), undefined);
    assert.equal(find(table, 'acme-e'), undefined);
  });

  it('gives each topic a dense slot that survives its customer leaving and coming back', () => {
    const table = new TenantTable();
    table.apply(upsert('a'));
    table.apply(upsert('b'));
    assert.deepEqual([find(table, 'a')?.slot, find(table, 'b')?.slot], [0, 1]);
    assert.equal(table.apply({ kind: 'tombstone', customerId: 'a' as CustomerId }), 'removed');
    assert.equal(find(table, 'a'), undefined);
    table.apply(upsert('c'));
    table.apply(upsert('a', true, 2));
    assert.deepEqual([find(table, 'a')?.slot, find(table, 'c')?.slot], [0, 2]);
    assert.equal(table.slotCount, 3);
    assert.deepEqual(
      [0, 1, 2].map((slot) => table.topicOfSlot(slot)),
      ['cdn-logs.a', 'cdn-logs.b', 'cdn-logs.c'],
    );
    assert.throws(() => table.topicOfSlot(3), RangeError);
  });

  it('ignores a record older than the one it holds, so a stale writer cannot re-enable', () => {
    const table = new TenantTable();
    table.apply(upsert('acme', false, 5));
    assert.equal(table.apply(upsert('acme', true, 4)), 'stale');
    assert.equal(find(table, 'acme')?.enabled, false);
    assert.equal(table.enabled, 0);
    assert.equal(table.apply(upsert('acme', true, 6)), 'updated');
    assert.equal(table.enabled, 1);
  });
});
