import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { append, backoffMs, cut, emptyBuffer, sealReason } from './partition-buffer.rules';

const limits = { intervalMs: 30_000, maxBytes: 100, maxLines: 3 };

function bufferOf(offsets: number[], at = 0) {
  const b = emptyBuffer(at);
  for (const o of offsets) append(b, o, 1000 + o, Buffer.from(`line-${o}`));
  return b;
}

describe('partition buffers', () => {
  it('seal on lines, bytes or interval, whichever comes first', () => {
    assert.equal(sealReason(bufferOf([1, 2]), limits, 0), undefined);
    assert.equal(sealReason(bufferOf([1, 2, 3]), limits, 0), 'lines');
    const big = emptyBuffer(0);
    append(big, 7, 0, Buffer.alloc(100));
    assert.equal(sealReason(big, limits, 0), 'bytes');
    assert.equal(sealReason(bufferOf([1]), limits, 30_000), 'interval');
    assert.equal(sealReason(emptyBuffer(0), limits, 99_999), undefined);
  });

  it('a recorded boundary overrides every limit: cut exactly there, not before', () => {
    const b = bufferOf([10, 11, 12, 13]);
    b.targetLast = 15;
    assert.equal(sealReason(b, limits, 99_999), undefined);
    append(b, 14, 0, Buffer.from('x'));
    append(b, 15, 0, Buffer.from('y'));
    assert.equal(sealReason(b, limits, 0), 'boundary');
  });

  it('cut splits at an offset and keeps the rest in order', () => {
    const { chunk, rest } = cut(bufferOf([5, 6, 7, 8]), 6, 0);
    assert.deepEqual([chunk.firstOffset, chunk.lastOffset, chunk.lines.length], [5, 6, 2]);
    assert.deepEqual([chunk.firstTimestampMs, chunk.lastTimestampMs], [1005, 1006]);
    assert.equal(chunk.bytes, 'line-5line-6'.length);
    assert.deepEqual(rest.offsets, [7, 8]);
    assert.equal(rest.bytes, 'line-7line-8'.length);
    assert.throws(() => cut(bufferOf([5]), 4, 0));
  });

  it('backs off doubling up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 10].map((a) => backoffMs(a, 100, 1000)),
      [100, 200, 400, 1000],
    );
  });
});
