import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupLag } from './group-lag.rules';
import type { GroupObservation } from './health.types';

function group(committed: Array<[number, number]>): GroupObservation {
  return { groupId: 'acme.g', state: 'Empty', members: 0, committed: new Map(committed) };
}
const history = new Map([
  [
    0,
    [
      { offset: 0, timeMs: 0 },
      { offset: 100, timeMs: 100_000 },
    ],
  ],
]);

describe('group lag rules', () => {
  it('counts lag in lines exactly and its age from the interpolated time of the oldest unread line', () => {
    const { health } = groupLag({
      group: group([[0, 60]]),
      watermarks: [{ partition: 0, low: 0, high: 100 }],
      history,
      memory: undefined,
      nowMs: 130_000,
      retentionMs: 600_000,
      riskFraction: 0.75,
    });
    assert.equal(health.lagLines, 40);
    assert.equal(health.lagSeconds, 69); // line 60 came at 61 s
    assert.equal(health.atRisk, false);
    assert.equal(health.lostLines, 0);
  });

  it('is at risk once the oldest unread line nears retention.ms', () => {
    const { health } = groupLag({
      group: group([[0, 10]]),
      watermarks: [{ partition: 0, low: 0, high: 100 }],
      history,
      memory: undefined,
      nowMs: 100_000,
      retentionMs: 100_000,
      riskFraction: 0.75,
    });
    assert.equal(health.atRisk, true);
    assert.equal(health.lostLines, 0);
  });

  it('counts lines deleted before they were read, and keeps them after the group skips ahead', () => {
    const first = groupLag({
      group: group([[0, 10]]),
      watermarks: [{ partition: 0, low: 30, high: 100 }],
      history,
      memory: undefined,
      nowMs: 100_000,
      retentionMs: 100_000,
      riskFraction: 0.75,
    });
    assert.equal(first.health.lostLines, 20);
    assert.equal(first.health.lagLines, 70, 'only retained lines count as lag');
    assert.equal(first.health.atRisk, true);
    const after = groupLag({
      group: group([[0, 30]]),
      watermarks: [{ partition: 0, low: 30, high: 100 }],
      history,
      memory: first.memory,
      nowMs: 101_000,
      retentionMs: 100_000,
      riskFraction: 0.75,
    });
    assert.equal(after.health.lostLines, 20);
    assert.equal(after.health.lastCommitAt, new Date(101_000).toISOString());
  });

  it('answers zero lag for a caught-up group and ignores partitions never committed', () => {
    const { health } = groupLag({
      group: group([[0, 100]]),
      watermarks: [
        { partition: 0, low: 0, high: 100 },
        { partition: 1, low: 0, high: 50 },
      ],
      history,
      memory: undefined,
      nowMs: 200_000,
      retentionMs: null,
      riskFraction: 0.75,
    });
    assert.equal(health.lagLines, 0);
    assert.equal(health.lagSeconds, 0);
  });
});
