import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantRecord } from '@logstream/registry';
import type { CustomerId } from '@logstream/tenancy';
import { CustomerCounters } from './customer-counters.index';
import { TenantTable } from './tenant-table.index';

describe('CustomerCounters', () => {
  it('counts per tenant slot and reports only customers with a count, by id', () => {
    const table = new TenantTable();
    const ids = Array.from({ length: 300 }, (_, i) => `c${i}` as CustomerId);
    for (const id of ids) table.apply({ kind: 'upsert', record: tenantRecord(id, true, 1) });
    const counters = new CustomerCounters();
    // Slot 299 is past the first allocation: the array grows.
    const last = table.get('c299');
    const first = table.get('c0');
    assert.ok(last && first);
    counters.routed(last.slot, 120);
    counters.routed(last.slot, 30);
    counters.inactive(first.slot);
    counters.oversize(first.slot);
    counters.oversize(first.slot);
    assert.deepEqual(counters.totals(table), { c0: [0, 0, 1, 2], c299: [2, 150, 0, 0] });
  });

  it('keeps a returning customer on its slot, so its counts go on', () => {
    const table = new TenantTable();
    const id = 'back' as CustomerId;
    table.apply({ kind: 'upsert', record: tenantRecord(id, true, 1) });
    const counters = new CustomerCounters();
    counters.routed(table.get(id)?.slot ?? -1, 10);
    table.apply({ kind: 'tombstone', customerId: id });
    table.apply({ kind: 'upsert', record: tenantRecord(id, true, 2) });
    counters.routed(table.get(id)?.slot ?? -1, 5);
    assert.deepEqual(counters.totals(table), { back: [2, 15, 0, 0] });
  });
});
