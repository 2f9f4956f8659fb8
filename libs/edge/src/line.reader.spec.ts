import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

  it('holds a slowly written long line in one buffer, not in the read buffers it came in', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const reader = new LineReader(1048576);
    // A writer that adds 10 bytes at a time: each read returns them in a fresh 256 KiB buffer
    // (what the file source allocates per read).
    const reads = 200;
    const readBuffers: WeakRef<ArrayBuffer>[] = [];
    for (let i = 0; i < reads; i++) {
      const readBuffer = Buffer.alloc(256 * 1024, 0x61);
      readBuffers.push(new WeakRef(readBuffer.buffer));
      reader.feed(readBuffer.subarray(0, 10));
      assert.equal(reader.next(), false);
    }
    // WeakRefs made in this job hold their targets until it ends.
    await new Promise((r) => setImmediate(r));
    gc();
    const pinned = readBuffers.filter((r) => r.deref() !== undefined).length;
    // The last chunk fed is still the reader's current chunk; no earlier one may stay.
    assert.ok(pinned <= 1, `${pinned} read buffers of 256 KiB pinned by a 2,000-byte partial line`);
    assert.ok(reader.retainedBytes <= 4096, `carry buffer ${reader.retainedBytes} bytes`);
    reader.feed(Buffer.from('\n'));
    assert.equal(reader.next(), true);
    assert.equal(reader.end - reader.start, reads * 10);
    assert.ok(reader.line.subarray(reader.start, reader.end).every((b) => b === 0x61));
  });

  it('keeps the head of an oversize line (its id) whatever the chunking', () => {
    forAllSeeds(500, (g) => {
      const id = 'c'.repeat(g.int(1, 63));
      const line = `${id} ${'x'.repeat(g.int(200, 5000))}`;
      const bytes = Buffer.from(`${line}\nnext\n`);
      const reader = new LineReader(100);
      const heads: string[] = [];
      for (const chunk of randomChunks(g, bytes)) {
        reader.feed(chunk);
        while (reader.next()) {
          if (reader.oversize) heads.push(reader.line.toString('latin1', reader.start, reader.end));
        }
      }
      assert.equal(heads.length, 1);
      assert.ok(heads[0].startsWith(`${id} `), `seed ${g.seed}: head "${heads[0]}"`);
    });
  });
});
