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
  it('uses the development key only outside production', () => {
    const dev = loadArchiveKeyConfig({});
    assert.ok(dev.development && dev.key.equals(DEVELOPMENT_ARCHIVE_KEY));
    assert.throws(
      () => loadArchiveKeyConfig({ LOGSTREAM_ENV: 'production' }),
      (e: unknown) => e instanceof ConfigError && /required in production/.test(e.message),
    );
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
      () => loadArchiverConfig({ LOGSTREAM_ARCHIVER_GROUP_ID: 'acme.archiver' }),
      /must start with "logstream-"/,
    );
    assert.equal(loadArchiverConfig({}).allowHttpEndpoints, true);
    const prod = loadArchiverConfig({
      LOGSTREAM_ENV: 'production',
      LOGSTREAM_ARCHIVE_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    assert.equal(prod.allowHttpEndpoints, false);
  });
});
