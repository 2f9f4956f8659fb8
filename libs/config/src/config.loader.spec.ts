import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config.errors';
import { loadDatabaseConfig, loadKafkaConfig } from './config.loader';

describe('loadKafkaConfig', () => {
  it('defaults to the local broker started by scripts/kafka.sh', () => {
    const cfg = loadKafkaConfig('t', {});
    assert.deepEqual(cfg.brokers, ['127.0.0.1:19092']);
    assert.deepEqual(cfg.customerBootstrap, ['localhost:19094']);
    assert.equal(cfg.tls, undefined);
  });

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        loadKafkaConfig('t', {
          LOGSTREAM_KAFKA_BROKERS: 'nohost',
          LOGSTREAM_KAFKA_CA_FILE: '/ca.pem',
          LOGSTREAM_KAFKA_PORT_BASE: 'abc',
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        /LOGSTREAM_KAFKA_BROKERS/.test(err.message) &&
        /go together/.test(err.message) &&
        /PORT_BASE must be a whole number/.test(err.message),
    );
  });

  it('takes TLS files only as a complete set', () => {
    const cfg = loadKafkaConfig('t', {
      LOGSTREAM_KAFKA_CA_FILE: '/ca.pem',
      LOGSTREAM_KAFKA_CERT_FILE: '/c.pem',
      LOGSTREAM_KAFKA_KEY_FILE: '/c.key',
    });
    assert.deepEqual(cfg.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/c.key' });
  });
});

describe('loadDatabaseConfig', () => {
  it('rejects a URL of the wrong kind', () => {
    assert.throws(() => loadDatabaseConfig({ LOGSTREAM_DATABASE_URL: 'mysql://x/y' }), /postgres/);
    assert.throws(
      () => loadDatabaseConfig({ LOGSTREAM_DATABASE_URL: 'not a url' }),
      /must be a URL/,
    );
  });
});
