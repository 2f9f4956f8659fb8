import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  forAllSeeds,
  randomChunks,
  randomLineStream,
  referenceLines,
} from '../../../test/support/property';
import { LineReader } from './line.reader';

/** Everything the reader hands out for `chunks` (undefined: a line flagged oversize). */
function readAll(chunks: Buffer[], maxLineBytes: number): (string | undefined)[] {
  const reader = new LineReader(maxLineBytes);
  const lines: (string | undefined)[] = [];
  const take = () => {
    lines.push(
      reader.oversize ? undefined : reader.line.toString('latin1', reader.start, reader.end),
    );
  };
  for (const chunk of chunks) {
    reader.feed(chunk);
    while (reader.next()) take();
  }
  if (reader.finish()) take();
  return lines;
}

describe('LineReader (property: any chunking reads like a plain split)', () => {
  it('hands out the lines of a plain split, oversize flagged, for random input and cuts', () => {
    forAllSeeds(3000, (g) => {
      const max = g.pick([1, 2, 5, 16, 64]);
      const bytes = randomLineStream(g, max);
      assert.deepEqual(readAll(randomChunks(g, bytes), max), referenceLines(bytes, max));
    });
  });

  it('after each chunk, the consumed bytes end exactly after the last whole line handed out', () => {
    forAllSeeds(2000, (g) => {
      const max = g.pick([2, 8, 64]);
      const bytes = randomLineStream(g, max);
      const reader = new LineReader(max);
      let fed = 0;
      for (const chunk of randomChunks(g, bytes)) {
        reader.feed(chunk);
        fed += chunk.length;
        while (reader.next());
        const consumed = fed - reader.unconsumedBytes;
        const seen = bytes.subarray(0, fed);
        // Where reading resumes after a crash: just after the last "\n" fed (or 0).
        assert.equal(consumed, seen.lastIndexOf(0x0a) + 1);
      }
    });
  });

  it('keeps a line inside one chunk as a window on that chunk (no copy)', () => {
    const reader = new LineReader(100);
    const chunk = Buffer.from('a b\r\ncc d\n');
    reader.feed(chunk);
    assert.equal(reader.next(), true);
    assert.equal(reader.line, chunk);
    assert.deepEqual([reader.start, reader.end], [0, 3]);
  });
});
