import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError } from './config.errors';
import {
  DEVELOPMENT_ARCHIVE_KEY,
  loadArchiveKeyConfig,
  loadArchiverConfig,
} from './archive-config.loader';

describe('archive configuration', () => {
  it('uses the development key only in explicit development mode', () => {
    const dev = loadArchiveKeyConfig({ LOGSTREAM_ENV: 'development' });
    assert.ok(dev.development && dev.key.equals(DEVELOPMENT_ARCHIVE_KEY));
    for (const env of [{}, { LOGSTREAM_ENV: 'production' }]) {
      assert.throws(
        () => loadArchiveKeyConfig(env),
        (e: unknown) => e instanceof ConfigError && /required in production/.test(e.message),
        JSON.stringify(env),
      );
    }
    assert.throws(
      () =>
        loadArchiveKeyConfig({
          LOGSTREAM_ENV: 'production',
          LOGSTREAM_ARCHIVE_SECRET_KEY: DEVELOPMENT_ARCHIVE_KEY.toString('base64'),
        }),
      ConfigError,
    );
  });

  it('takes a 32-byte base64 key and refuses anything else', () => {
    const key = randomBytes(32);
    assert.ok(
      loadArchiveKeyConfig({ LOGSTREAM_ARCHIVE_SECRET_KEY: key.toString('base64') }).key.equals(
        key,
      ),
    );
    assert.throws(
      () =>
        loadArchiveKeyConfig({ LOGSTREAM_ARCHIVE_SECRET_KEY: randomBytes(16).toString('base64') }),
      /must be 32 bytes in base64/,
    );
  });

  it('refuses a consumer group that could be a customer prefix, and plain http in production', () => {
    assert.throws(
      () =>
        loadArchiverConfig({
          LOGSTREAM_ENV: 'development',
          LOGSTREAM_ARCHIVER_GROUP_ID: 'acme.archiver',
        }),
      /must start with "logstream-"/,
    );
    assert.equal(loadArchiverConfig({ LOGSTREAM_ENV: 'development' }).allowHttpEndpoints, true);
    const key = randomBytes(32).toString('base64');
    for (const env of [{}, { LOGSTREAM_ENV: 'production' }]) {
      const prod = loadArchiverConfig({ ...env, LOGSTREAM_ARCHIVE_SECRET_KEY: key });
      assert.equal(prod.allowHttpEndpoints, false, JSON.stringify(env));
    }
  });
});
