import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forAllSeeds, randomChunks, randomLineStream } from '../../../test/support/property';
import {
  checkTail,
  decodePosition,
  encodePosition,
  type FilePosition,
  planStart,
} from './file-position.rules';
import { LineReader } from './line.reader';

const text = (r: LineReader) =>
  r.oversize ? undefined : r.line.toString('latin1', r.start, r.end);

describe('file position rules (properties)', () => {
  it('a saved position reads back as itself; damaged text is refused, never thrown', () => {
    forAllSeeds(2000, (g) => {
      const position: FilePosition = {
        path: `/var/log/${'x'.repeat(g.int(0, 20))}\u00e9"\\.log`,
        dev: String(g.int(0, 2 ** 31)),
        ino: `${g.int(1, 9)}${'9'.repeat(g.int(0, 19))}`,
        offset: g.int(0, Number.MAX_SAFE_INTEGER),
      };
      const text = encodePosition(position);
      assert.deepEqual(decodePosition(text), { ok: true, position });
      // Cut or flipped anywhere: a decision either way, and an ok one only with sane fields.
      const at = g.int(0, text.length);
      for (const damaged of [
        text.slice(0, at),
        text.slice(0, at) + '\u0000' + text.slice(at + 1),
      ]) {
        const decoded = decodePosition(damaged);
        if (decoded.ok) assert.ok(Number.isSafeInteger(decoded.position.offset));
      }
    });
  });

  it('resuming at position − unconsumed after any chunk reads the rest exactly once', () => {
    forAllSeeds(1000, (g) => {
      const max = g.pick([4, 32]);
      const bytes = randomLineStream(g, max);
      const chunks = randomChunks(g, bytes);
      const reader = new LineReader(max);
      const crashAfter = g.int(0, chunks.length);
      let offset = 0;
      const before: (string | undefined)[] = [];
      for (const chunk of chunks.slice(0, crashAfter)) {
        reader.feed(chunk);
        offset += chunk.length;
        while (reader.next()) before.push(text(reader));
      }
      // What the file source saves: where the first line not handed out starts.
      const resumeAt = offset - reader.unconsumedBytes;
      const again = new LineReader(max);
      const after: (string | undefined)[] = [];
      again.feed(bytes.subarray(resumeAt));
      while (again.next()) after.push(text(again));
      if (again.finish()) after.push(text(again));
      const whole = new LineReader(max);
      const all: (string | undefined)[] = [];
      whole.feed(bytes);
      while (whole.next()) all.push(text(whole));
      if (whole.finish()) all.push(text(whole));
      assert.deepEqual([...before, ...after], all);
    });
  });

  it('checkTail says truncated exactly when the file is shorter than the read offset', () => {
    forAllSeeds(2000, (g) => {
      const open = {
        dev: '1',
        ino: String(g.int(1, 3)),
        offset: g.int(0, 100),
        size: g.int(0, 100),
      };
      const atPath = g.next() < 0.2 ? undefined : { dev: '1', ino: String(g.int(1, 3)), size: 0 };
      const check = checkTail(open, atPath);
      if (open.size < open.offset) assert.equal(check, 'truncated');
      else if (atPath === undefined) assert.equal(check, 'missing');
      else assert.equal(check, atPath.ino === open.ino ? 'same' : 'rotated');
    });
  });

  it('planStart never begins past the end of the file it names', () => {
    forAllSeeds(2000, (g) => {
      const ino = () => String(g.int(1, 3));
      const saved =
        g.next() < 0.2 ? undefined : { path: '/l', dev: '1', ino: ino(), offset: g.int(0, 100) };
      const current = g.next() < 0.2 ? undefined : { dev: '1', ino: ino(), size: g.int(0, 100) };
      const rotatedStat = { dev: '1', ino: ino(), size: g.int(0, 100) };
      const plan = planStart(
        saved,
        current,
        { path: '/l.1', stat: rotatedStat },
        g.pick(['end', 'beginning'] as const),
      );
      if (current && plan.currentOffset !== undefined)
        assert.ok(plan.currentOffset <= current.size);
      if (!current) assert.equal(plan.currentOffset, undefined);
      if (plan.rotated) assert.ok(plan.rotated.offset <= rotatedStat.size);
    });
  });
});
