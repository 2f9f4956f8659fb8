import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  archiveObjectKey,
  challengeObjectKey,
  explainInvalidPathPrefix,
  normalisePathPrefix,
} from './object-key.rules';

const T0 = Date.UTC(2026, 11, 2, 6, 15, 30, 123);
const base = {
  pathPrefix: 'cdn/{DATE}',
  hivePartitioning: false,
  partition: 2,
  firstOffset: 1200n,
  firstTimestampMs: T0,
  lastTimestampMs: T0 + 61_000,
  compression: 'gzip' as const,
};

describe('archive object keys', () => {
  it('derive from the first offset and the first and last lines only', () => {
    assert.equal(
      archiveObjectKey(base),
      'cdn/20261202/20261202T061530Z_20261202T061631Z_p2-o1200.log.gz',
    );
    assert.equal(archiveObjectKey(base), archiveObjectKey({ ...base }));
    assert.notEqual(archiveObjectKey(base), archiveObjectKey({ ...base, firstOffset: 1201n }));
  });

  it('uses dt=YYYY-MM-DD with Hive partitioning and .log.zst for zstd', () => {
    assert.equal(
      archiveObjectKey({ ...base, hivePartitioning: true, compression: 'zstd' }),
      'cdn/dt=2026-12-02/20261202T061530Z_20261202T061631Z_p2-o1200.log.zst',
    );
  });

  it('appends {DATE} to a prefix without it and drops trailing slashes', () => {
    assert.equal(normalisePathPrefix('logs/'), 'logs/{DATE}');
    assert.equal(normalisePathPrefix('a/{DATE}/b/'), 'a/{DATE}/b');
    assert.match(archiveObjectKey({ ...base, pathPrefix: 'x' }), /^x\/20261202\//);
  });

  it('puts the challenge beside the dated folders', () => {
    assert.equal(challengeObjectKey('cdn/{DATE}'), 'cdn/logstream-challenge.txt');
    assert.equal(challengeObjectKey('{DATE}'), 'logstream-challenge.txt');
  });

  it('refuses prefixes that escape or are ambiguous, saying why', () => {
    for (const [prefix, why] of [
      ['', /empty/],
      ['/abs', /start with/],
      ['a//b', /empty path segment/],
      ['a/../b', /"\."/],
      ['a/{DAY}', /only placeholder/],
      ['{DATE}/{DATE}', /once/],
      ['a b', /only letters/],
    ] as const) {
      assert.match(explainInvalidPathPrefix(prefix) ?? '', why, prefix);
    }
    assert.equal(explainInvalidPathPrefix('cdn/logs/{DATE}/raw'), undefined);
  });
});
