import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEdgeStatsRecord,
  EDGE_STATS_RECORD_VERSION,
  type EdgeStatsRecord,
  encodeEdgeStatsRecord,
} from './edge-stats-record.types';

const record: EdgeStatsRecord = {
  v: EDGE_STATS_RECORD_VERSION,
  node: 'edge-1',
  boot: '0123456789abcdef',
  startedAt: 1_767_000_000_000,
  seq: 3,
  at: 1_767_000_180_000,
  intervalMs: 60_000,
  customers: { acme: [10, 2_700, 1, 0], 'b-2': [0, 0, 0, 4] },
};

describe('edge stats records', () => {
  it('round-trips a record', () => {
    assert.deepEqual(decodeEdgeStatsRecord('edge-1', encodeEdgeStatsRecord(record)), {
      kind: 'record',
      record,
    });
  });

  it('refuses a record whole when any part is wrong', () => {
    const bad: Array<[string | null, unknown]> = [
      [null, record],
      ['edge-2', record],
      ['edge-1', { ...record, v: 2 }],
      ['edge-1', { ...record, boot: '' }],
      ['edge-1', { ...record, seq: -1 }],
      ['edge-1', { ...record, at: 1.5 }],
      ['edge-1', { ...record, customers: [] }],
      ['edge-1', { ...record, customers: { 'Not An Id': [1, 1, 0, 0] } }],
      ['edge-1', { ...record, customers: { acme: [1, 1, 0] } }],
      ['edge-1', { ...record, customers: { acme: [1, 1, 0, -1] } }],
      ['edge-1', 'text'],
    ];
    for (const [key, value] of bad) {
      const decoded = decodeEdgeStatsRecord(key, Buffer.from(JSON.stringify(value)));
      assert.equal(decoded.kind, 'invalid', JSON.stringify(value));
    }
    assert.equal(decodeEdgeStatsRecord('edge-1', Buffer.from('{')).kind, 'invalid');
    assert.equal(decodeEdgeStatsRecord('edge-1', null).kind, 'invalid');
  });

  it('ignores extra fields a newer writer adds', () => {
    const value = Buffer.from(JSON.stringify({ ...record, extra: true }));
    assert.deepEqual(decodeEdgeStatsRecord('edge-1', value), { kind: 'record', record });
  });
});
