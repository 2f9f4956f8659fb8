import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  daysUntil,
  explainLastError,
  formatDate,
  formatElapsed,
  formatPeriod,
} from './format.rules';

describe('format rules', () => {
  it('says how long a change took the way people read it', () => {
    assert.equal(formatElapsed(147), '147 ms');
    assert.equal(formatElapsed(1234), '1.2 s');
    assert.equal(formatElapsed(59_940), '59.9 s');
    assert.equal(formatElapsed(125_000), '2 min 5 s');
    assert.equal(formatElapsed(120_000), '2 min');
  });

  it('names retention in its largest whole unit', () => {
    assert.equal(formatPeriod(7 * 24 * 3600_000), '7 days');
    assert.equal(formatPeriod(36 * 3600_000), '36 hours');
    assert.equal(formatPeriod(24 * 3600_000), '1 day');
    assert.equal(formatPeriod(90_000), '90 seconds');
  });

  it('writes dates in UTC to the minute, and counts whole days left', () => {
    assert.equal(formatDate(new Date('2026-12-02T06:12:59.999Z')), '2026-12-02 06:12 UTC');
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(daysUntil(new Date('2026-01-31T12:00:00Z'), now), 30);
    assert.equal(daysUntil(new Date('2025-12-31T00:00:00Z'), now), -1);
  });

  it('turns provisioner errors into advice a customer can act on', () => {
    assert.match(
      explainLastError('step ensure-topic: KafkaJSConnectionError: Connection timeout'),
      /could not reach Kafka/,
    );
    assert.match(
      explainLastError('step sync-acls: CLUSTER_AUTHORIZATION_FAILED'),
      /Access for your credentials/,
    );
    assert.match(
      explainLastError('step ensure-topic: INVALID_REPLICATION_FACTOR for topic'),
      /topic could not be set up/,
    );
    assert.match(explainLastError('something else'), /switching streaming off and on again/);
  });
});
