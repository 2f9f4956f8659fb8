import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsReverification, settingsProblems, settingsRow } from './archive-settings.rules';

const ok = {
  endpoint: 'https://s3.eu-west-1.amazonaws.com',
  bucket: 'acme-logs',
  accessKeyId: 'AKIAEXAMPLE',
  secretAccessKey: 'secret',
};

describe('archive settings rules', () => {
  it('accept a complete destination and fill in defaults', () => {
    assert.deepEqual(settingsProblems(ok, { allowHttpEndpoints: false }, false), []);
    const row = settingsRow(ok, 'sealed');
    assert.equal(row.pathPrefix, 'logs/{DATE}');
    assert.equal(row.compression, 'gzip');
    assert.equal(row.flushIntervalS, 60);
    assert.equal(row.region, 'us-east-1');
  });

  it('name every problem', () => {
    const problems = settingsProblems(
      {
        endpoint: 'http://user:pw@127.0.0.1:9000/path?x',
        bucket: 'Bad_Bucket',
        accessKeyId: 'has space',
        pathPrefix: '../x',
        flush: { intervalSeconds: 10, maxLines: 0 },
      },
      { allowHttpEndpoints: false },
      false,
    ).join('\n');
    for (const words of [
      /endpoint must be an https: URL/,
      /must not carry credentials/,
      /without path or query/,
      /bucket must be/,
      /accessKeyId/,
      /secretAccessKey is required/,
      /pathPrefix/,
      /flush.intervalSeconds must be a whole number from 30 to 300/,
      /flush.maxLines/,
    ]) {
      assert.match(problems, words);
    }
  });

  it('keep the stored secret when none is sent; plain http only where allowed', () => {
    const { secretAccessKey: _s, ...noSecret } = ok;
    assert.deepEqual(settingsProblems(noSecret, { allowHttpEndpoints: false }, true), []);
    const http = { ...ok, endpoint: 'http://127.0.0.1:9000' };
    assert.deepEqual(settingsProblems(http, { allowHttpEndpoints: true }, false), []);
  });

  it('a new endpoint, bucket or prefix must be proved again; new credentials need not', () => {
    const a = settingsRow(ok, 's1');
    assert.equal(needsReverification(a, settingsRow({ ...ok, accessKeyId: 'other' }, 's2')), false);
    assert.equal(
      needsReverification(a, settingsRow({ ...ok, bucket: 'other-bucket' }, 's2')),
      true,
    );
    assert.equal(
      needsReverification(a, settingsRow({ ...ok, pathPrefix: 'x/{DATE}' }, 's2')),
      true,
    );
  });
});
