import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config.errors';
import { DEVELOPMENT_ADMIN_TOKEN, loadControlApiConfig } from './control-api-config.loader';

describe('loadControlApiConfig', () => {
  it('has development defaults that match the local platform', () => {
    const cfg = loadControlApiConfig({ LOGSTREAM_PKI_DIR: '/pki' });
    assert.equal(cfg.environment, 'development');
    assert.deepEqual(cfg.auth.adminTokens, [DEVELOPMENT_ADMIN_TOKEN]);
    assert.equal(cfg.http.host, '127.0.0.1');
    assert.equal(cfg.http.port, 8080);
    assert.equal(cfg.http.bodyLimitBytes, 16_384);
    assert.equal(cfg.credentials.caCertFile, '/pki/customer-ca.pem');
    assert.equal(cfg.credentials.caKeyFile, '/pki/customer-ca.key');
    assert.equal(cfg.credentials.brokerCaFile, '/pki/ca.pem');
    assert.deepEqual(cfg.customerBootstrap, ['localhost:19094']);
    assert.equal(cfg.database.url, 'postgres://postgres@127.0.0.1:5432/logstream');
  });

  it('splits and trims the admin tokens', () => {
    const cfg = loadControlApiConfig({ LOGSTREAM_ADMIN_TOKENS: ' a-token , another ,' });
    assert.deepEqual(cfg.auth.adminTokens, ['a-token', 'another']);
  });

  const ALERT_KEY = 'ab'.repeat(32);

  it('requires real admin tokens in production and refuses the development one', () => {
    assert.throws(
      () => loadControlApiConfig({ LOGSTREAM_ENV: 'production' }),
      (err: unknown) => err instanceof ConfigError && /required in production/.test(err.message),
    );
    assert.throws(
      () =>
        loadControlApiConfig({
          LOGSTREAM_ENV: 'production',
          LOGSTREAM_ADMIN_TOKENS: `${DEVELOPMENT_ADMIN_TOKEN},short`,
          LOGSTREAM_ALERT_SECRET_KEY: ALERT_KEY,
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 2 &&
        /development token/.test(err.message) &&
        /at least 32 characters/.test(err.message),
    );
    const strong = 'x'.repeat(40);
    assert.throws(
      () => loadControlApiConfig({ LOGSTREAM_ENV: 'production', LOGSTREAM_ADMIN_TOKENS: strong }),
      (err: unknown) =>
        err instanceof ConfigError && /LOGSTREAM_ALERT_SECRET_KEY is required/.test(err.message),
    );
    const cfg = loadControlApiConfig({
      LOGSTREAM_ENV: 'production',
      LOGSTREAM_ADMIN_TOKENS: strong,
      LOGSTREAM_ALERT_SECRET_KEY: ALERT_KEY,
    });
    assert.deepEqual(cfg.auth.adminTokens, [strong]);
    assert.equal(cfg.alerts.secretKey.toString('hex'), ALERT_KEY);
  });

  it('reports the problems of every section at once', () => {
    assert.throws(
      () =>
        loadControlApiConfig({
          LOGSTREAM_DATABASE_URL: 'mysql://db/x',
          LOGSTREAM_KAFKA_SSL_BOOTSTRAP: 'nohostport',
          LOGSTREAM_API_PORT: 'eighty',
          LOGSTREAM_API_BODY_LIMIT_BYTES: '10',
          LOGSTREAM_LOG_LEVEL: 'loud',
          LOGSTREAM_ENV: 'staging',
          LOGSTREAM_ADMIN_TOKENS: 'has space',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of [
          'LOGSTREAM_DATABASE_URL',
          'LOGSTREAM_KAFKA_SSL_BOOTSTRAP',
          'LOGSTREAM_API_PORT',
          'LOGSTREAM_API_BODY_LIMIT_BYTES',
          'LOGSTREAM_LOG_LEVEL',
          'LOGSTREAM_ENV',
          'LOGSTREAM_ADMIN_TOKENS',
        ]) {
          assert.match(err.message, new RegExp(name));
        }
        assert.equal(err.problems.length, 7);
        return true;
      },
    );
  });
});
