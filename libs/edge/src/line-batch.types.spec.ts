import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineBatch } from './line-batch.types';

describe('LineBatch', () => {
  it('takes lines of one buffer until full, and none of another buffer', () => {
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    const batch = new LineBatch(2);
    assert.equal(batch.accepts(a), true);
    batch.push(a, 7, 0, 1);
    assert.equal(batch.accepts(b), false, 'a line in another buffer starts a new batch');
    assert.equal(batch.accepts(a), true);
    batch.push(a, 8, 1, 1);
    assert.equal(batch.accepts(a), false, 'full');
    assert.deepEqual([...batch.slots], [7, 8]);
    assert.deepEqual([...batch.starts], [0, 1]);
    assert.equal(batch.pending, true);
    batch.takenUpTo(1);
    assert.equal(batch.untaken, 1);
    assert.throws(() => batch.takenUpTo(0), RangeError, 'taken never goes back');
    assert.throws(() => batch.takenUpTo(3), RangeError, 'nor past the lines it holds');
    batch.takenUpTo(2);
    assert.equal(batch.pending, false);
    assert.throws(() => batch.push(b, 1, 0, 1), /does not accept/);
    batch.clear();
    assert.equal(batch.accepts(b), true, 'an empty batch takes any buffer');
  });
});
