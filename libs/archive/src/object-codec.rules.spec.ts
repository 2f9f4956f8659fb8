import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { compressBody, joinLines } from './object-codec.rules';

const levels = { gzipLevel: 6, zstdLevel: 3 };
const lines = Array.from({ length: 5000 }, (_, i) =>
  Buffer.from(`acme 203.0.113.${i % 255} "GET /a/${i}?q=ü HTTP/1.1" 200 ${i * 7}\t\\x00`),
);
const body = joinLines(
  lines,
  lines.reduce((n, l) => n + l.length, 0),
);

describe('archive object bodies', () => {
  it('are the lines, each followed by a newline', () => {
    assert.equal(body.toString().split('\n').length, lines.length + 1);
    assert.ok(body.subarray(0, lines[0].length).equals(lines[0]));
  });

  it('zstd output decompresses with Debian zstd -d, byte for byte', async () => {
    const z = await compressBody(body, 'zstd', levels);
    assert.ok(z.length < body.length / 3, `${z.length} of ${body.length}`);
    assert.ok(execFileSync('zstd', ['-d', '-c', '-q'], { input: z }).equals(body));
    assert.ok(execFileSync('zstd', ['-t', '-q'], { input: z }).length === 0);
  });

  it('gzip output gunzips byte for byte (also with Debian gzip -d)', async () => {
    const g = await compressBody(body, 'gzip', levels);
    assert.ok(gunzipSync(g).equals(body));
    assert.ok(execFileSync('gzip', ['-d', '-c'], { input: g }).equals(body));
  });

  it('is the same bytes every time, so a re-upload overwrites with identical content', async () => {
    for (const c of ['gzip', 'zstd'] as const) {
      assert.ok((await compressBody(body, c, levels)).equals(await compressBody(body, c, levels)));
    }
  });
});
