import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type OffsetPoint, recordPoint, timeOfOffset } from './offset-history.rules';

describe('offset history', () => {
  it('records a point only when the watermark moved, and forgets a recreated topic', () => {
    const points: OffsetPoint[] = [];
    recordPoint(points, { offset: 0, timeMs: 0 });
    recordPoint(points, { offset: 0, timeMs: 1000 });
    recordPoint(points, { offset: 10, timeMs: 2000 });
    assert.deepEqual(points, [
      { offset: 0, timeMs: 0 },
      { offset: 10, timeMs: 2000 },
    ]);
    recordPoint(points, { offset: 3, timeMs: 3000 });
    assert.deepEqual(points, [{ offset: 3, timeMs: 3000 }]);
  });

  it('interpolates the time a line was appended between the two points around it', () => {
    const points: OffsetPoint[] = [
      { offset: 0, timeMs: 0 },
      { offset: 100, timeMs: 10_000 },
    ];
    // Line 49 is the 50th line: halfway.
    assert.deepEqual(timeOfOffset(points, 49), { timeMs: 5_000, exact: true });
    assert.deepEqual(timeOfOffset(points, 99), { timeMs: 10_000, exact: true });
    assert.equal(timeOfOffset(points, 100), undefined, 'not produced yet');
  });

  it('says when a line is older than the history (an upper bound only)', () => {
    const points: OffsetPoint[] = [
      { offset: 50, timeMs: 1_000 },
      { offset: 60, timeMs: 2_000 },
    ];
    assert.deepEqual(timeOfOffset(points, 10), { timeMs: 1_000, exact: false });
  });

  it('stays bounded, keeping the first and the newest points', () => {
    const points: OffsetPoint[] = [];
    for (let i = 1; i <= 1000; i++) recordPoint(points, { offset: i, timeMs: i }, 100);
    assert.ok(points.length <= 100);
    assert.deepEqual(points[0], { offset: 1, timeMs: 1 });
    assert.deepEqual(points[points.length - 1], { offset: 1000, timeMs: 1000 });
    for (let i = 1; i < points.length; i++) assert.ok(points[i].offset > points[i - 1].offset);
    // Recent lines are still exact to the millisecond.
    assert.equal(timeOfOffset(points, 989)?.timeMs, 990);
  });
});
