/**
 * Small helpers for property specs: a seeded generator (a failure names its seed, and the same
 * seed replays it) and byte inputs rich in the cases line handling gets wrong.
 */
import { seededRandom } from '@logstream/traffic';

export interface Gen {
  readonly seed: number;
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function gen(seed: number): Gen {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return { seed, next: random, int, pick: (items) => items[int(0, items.length - 1)] };
}

/** Runs `check` for `runs` seeds; a failure says which seed replays it. */
export function forAllSeeds(runs: number, check: (g: Gen) => void, firstSeed = 1): void {
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    try {
      check(gen(seed));
    } catch (err) {
      if (err instanceof Error) err.message = `seed ${seed}: ${err.message}`;
      throw err;
    }
  }
}

/**
 * A random stream of lines: CR, CRLF, lone CR inside lines, empty lines, lines around and over
 * `maxLineBytes`, and (sometimes) no final newline.
 */
export function randomLineStream(g: Gen, maxLineBytes: number, lines = g.int(0, 40)): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    const shape = g.next();
    const length =
      shape < 0.1
        ? 0
        : shape < 0.25
          ? g.int(Math.max(0, maxLineBytes - 2), maxLineBytes + 2)
          : shape < 0.3
            ? g.int(maxLineBytes + 3, maxLineBytes * 3)
            : g.int(1, Math.min(maxLineBytes, 40));
    const line = Buffer.alloc(length);
    for (let j = 0; j < length; j++) {
      const b = g.next();
      line[j] = b < 0.05 ? 0x0d : b < 0.1 ? 0x20 : b < 0.12 ? g.int(0, 255) : g.int(0x61, 0x7a);
      if (line[j] === 0x0a) line[j] = 0x0b;
    }
    parts.push(line);
    const last = i === lines - 1;
    if (!last || g.next() < 0.6) parts.push(Buffer.from(g.next() < 0.3 ? '\r\n' : '\n'));
  }
  return Buffer.concat(parts);
}

/** `bytes` cut at random places (empty chunks included), sometimes into single bytes. */
export function randomChunks(
  g: Gen,
  bytes: Buffer,
  maxChunks: readonly number[] = [1, 3, 16, 64, 1024],
): Buffer[] {
  const out: Buffer[] = [];
  const maxChunk = g.pick(maxChunks);
  for (let at = 0; at < bytes.length;) {
    const size = g.int(0, maxChunk);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** What a plain split says: one entry per line, `undefined` for a line over the limit. */
export function referenceLines(bytes: Buffer, maxLineBytes: number): (string | undefined)[] {
  const text = bytes.toString('latin1');
  const pieces = text.split('\n');
  // The piece after the last "\n" is a line only when it is not empty (no final newline).
  if (pieces[pieces.length - 1] === '') pieces.pop();
  return pieces.map((p) => {
    const line = p.endsWith('\r') ? p.slice(0, -1) : p;
    return line.length > maxLineBytes ? undefined : line;
  });
}
