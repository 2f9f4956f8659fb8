import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config.errors';
import { DEVELOPMENT_ADMIN_TOKEN, loadControlApiConfig } from './control-api-config.loader';

const STRONG = 'x'.repeat(32);
/** Without LOGSTREAM_ENV the API holds itself to production rules, which require both keys. */
const KEYS = {
  LOGSTREAM_ARCHIVE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  LOGSTREAM_ALERT_SECRET_KEY: 'ab'.repeat(32),
};

describe('loadControlApiConfig', () => {
  it('has defaults that match the local platform', () => {
    const cfg = loadControlApiConfig({
      LOGSTREAM_PKI_DIR: '/pki',
      LOGSTREAM_ADMIN_TOKENS: STRONG,
      ...KEYS,
    });
    assert.equal(cfg.environment, 'production');
    assert.deepEqual(cfg.auth.adminTokens, [STRONG]);
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
    const cfg = loadControlApiConfig({
      LOGSTREAM_ADMIN_TOKENS: ` ${STRONG} , ${STRONG}y ,`,
      ...KEYS,
    });
    assert.deepEqual(cfg.auth.adminTokens, [STRONG, `${STRONG}y`]);
  });

  const ALERT_KEY = 'ab'.repeat(32);

  it('requires real admin tokens in production and refuses the development one', () => {
    assert.throws(
      () => loadControlApiConfig({ LOGSTREAM_ENV: 'production' }),
      (err: unknown) =>
        err instanceof ConfigError && /LOGSTREAM_ADMIN_TOKENS is required/.test(err.message),
    );
    assert.throws(
      () =>
        loadControlApiConfig({
          LOGSTREAM_ENV: 'production',
          LOGSTREAM_ADMIN_TOKENS: `${DEVELOPMENT_ADMIN_TOKEN},short`,
          LOGSTREAM_ARCHIVE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
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
      // Production also needs its own key for archive destination secrets.
      LOGSTREAM_ARCHIVE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      LOGSTREAM_ALERT_SECRET_KEY: ALERT_KEY,
    });
    assert.deepEqual(cfg.auth.adminTokens, [strong]);
    assert.equal(cfg.alerts.secretKey.toString('hex'), ALERT_KEY);
  });

  it('refuses to start without real admin tokens unless explicitly in development on loopback', () => {
    const refused = (env: Record<string, string>, pattern: RegExp) =>
      assert.throws(
        () => loadControlApiConfig(env),
        (err: unknown) => err instanceof ConfigError && pattern.test(err.message),
        JSON.stringify(env),
      );
    // No environment named: production rules, so neither the default token nor short ones.
    refused({}, /LOGSTREAM_ADMIN_TOKENS is required/);
    refused({ LOGSTREAM_ADMIN_TOKENS: DEVELOPMENT_ADMIN_TOKEN }, /development token/);
    refused({ LOGSTREAM_ADMIN_TOKENS: 'short-token' }, /at least 32 characters/);
    // Development mode relaxes the rule on a loopback address only.
    for (const host of ['0.0.0.0', '10.1.2.3', '::']) {
      refused({ LOGSTREAM_ENV: 'development', LOGSTREAM_API_HOST: host }, /loopback/);
      refused(
        { LOGSTREAM_ENV: 'development', LOGSTREAM_API_HOST: host, LOGSTREAM_ADMIN_TOKENS: 'short' },
        /at least 32 characters/,
      );
    }
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      const dev = loadControlApiConfig({ LOGSTREAM_ENV: 'development', LOGSTREAM_API_HOST: host });
      assert.deepEqual(dev.auth.adminTokens, [DEVELOPMENT_ADMIN_TOKEN]);
    }
  });

  it('trusts X-Forwarded-For from a number of proxies or their addresses, never from anyone', () => {
    const trust = (value: string | undefined) =>
      loadControlApiConfig({
        LOGSTREAM_ADMIN_TOKENS: STRONG,
        LOGSTREAM_API_TRUST_PROXY: value,
        ...KEYS,
      }).http.trustProxy;
    assert.equal(trust(undefined), false);
    assert.equal(trust('false'), false);
    assert.equal(trust('0'), false);
    assert.equal(trust('1'), 1);
    assert.equal(trust('2'), 2);
    assert.deepEqual(trust('10.0.0.1, 10.0.1.0/24,fd00::/8,loopback'), [
      '10.0.0.1',
      '10.0.1.0/24',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['true', 'yes', '10.0.0.0/33', 'proxy.example.net', '*']) {
      assert.throws(
        () => trust(bad),
        (err: unknown) =>
          err instanceof ConfigError && /LOGSTREAM_API_TRUST_PROXY/.test(err.message),
        bad,
      );
    }
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
          LOGSTREAM_ADMIN_TOKENS: `has space ${STRONG}`,
          ...KEYS,
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
