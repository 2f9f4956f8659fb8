import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestBatcher } from './request.batcher';

describe('RequestBatcher', () => {
  it('sends the first call alone and groups the calls made while it is in flight', async () => {
    const sent: number[][] = [];
    const batcher = new RequestBatcher<number, string>(async (items) => {
      sent.push(items);
      await sleep(10);
      return `ok ${items.length}`;
    });
    const results = await Promise.all([
      batcher.submit([1]),
      batcher.submit([2, 3]),
      batcher.submit([4]),
    ]);
    assert.deepEqual(sent, [[1], [2, 3, 4]]);
    assert.deepEqual(results, ['ok 1', 'ok 3', 'ok 3']);
  });

  it('keeps batches under the item limit', async () => {
    const sent: number[][] = [];
    const batcher = new RequestBatcher<number, void>(async (items) => {
      sent.push(items);
      await sleep(1);
    }, 3);
    await Promise.all([
      batcher.submit([0]),
      batcher.submit([1, 2]),
      batcher.submit([3]),
      batcher.submit([4, 5]),
    ]);
    assert.deepEqual(sent, [[0], [1, 2, 3], [4, 5]]);
  });

  it("retries a failed batch per caller, so one caller's bad item fails only that caller", async () => {
    const batcher = new RequestBatcher<number, void>(async (items) => {
      await sleep(1);
      if (items.includes(13)) throw new Error('unlucky');
    });
    const first = batcher.submit([1]);
    const results = await Promise.allSettled([
      batcher.submit([2]),
      batcher.submit([13]),
      batcher.submit([4]),
    ]);
    await first;
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });
});
