import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config.errors';
import { loadEdgeAdminConfig } from './edge-admin-config.loader';

describe('edge-admin configuration', () => {
  it('defaults to the development PKI and the local SSL listener', () => {
    const config = loadEdgeAdminConfig({
      LOGSTREAM_PKI_DIR: '/pki',
      LOGSTREAM_KAFKA_PORT_BASE: '33000',
    });
    assert.equal(config.platformCaCertFile, '/pki/ca.pem');
    assert.equal(config.platformCaKeyFile, '/pki/ca.key');
    assert.equal(config.brokerCaFile, '/pki/ca.pem');
    assert.deepEqual(config.edgeBootstrap, ['localhost:33002']);
    assert.equal(config.validityDays, 365);
  });

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        loadEdgeAdminConfig({
          LOGSTREAM_ENROLL_VALIDITY_DAYS: '0',
          LOGSTREAM_KAFKA_SSL_BOOTSTRAP: 'no-port',
          LOGSTREAM_DATABASE_URL: 'mysql://x',
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        err.problems.some((p) => p.startsWith('LOGSTREAM_ENROLL_VALIDITY_DAYS')) &&
        err.problems.some((p) => p.startsWith('LOGSTREAM_KAFKA_SSL_BOOTSTRAP')) &&
        err.problems.some((p) => p.startsWith('LOGSTREAM_DATABASE_URL')),
    );
  });
});
