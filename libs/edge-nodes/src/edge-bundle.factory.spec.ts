import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EDGE_OPTIONS } from '@logstream/edge';
import { EDGE_ENV_NAMES, edgeBundleFiles, parseEnvFile } from './edge-bundle.factory';

const input = {
  name: 'fra1',
  principal: 'logstream-edge.fra1',
  serial: '0abc',
  fingerprintSha256: 'AA:BB',
  notAfter: new Date('2030-01-02T03:04:05.000Z'),
  certChainPem: 'CERT',
  keyPem: 'KEY',
  brokerCaPem: 'CA',
  brokers: ['kafka-1.example.net:9093', 'kafka-2.example.net:9093'],
  installDir: '/etc/logstream',
};

describe('edge node bundle', () => {
  it("names the edge producer's own variables", () => {
    assert.equal(EDGE_ENV_NAMES.brokers, EDGE_OPTIONS.brokers.env);
    assert.equal(EDGE_ENV_NAMES.caFile, EDGE_OPTIONS.caFile.env);
    assert.equal(EDGE_ENV_NAMES.certFile, EDGE_OPTIONS.certFile.env);
    assert.equal(EDGE_ENV_NAMES.keyFile, EDGE_OPTIONS.keyFile.env);
    assert.equal(EDGE_ENV_NAMES.nodeId, EDGE_OPTIONS.nodeId.env);
  });

  it('writes the certificate, a private key, the broker CA and edge.env naming where they go', () => {
    const files = edgeBundleFiles(input);
    assert.deepEqual(
      files.map((f) => [f.name, f.mode]),
      [
        ['client.pem', 0o644],
        ['client.key', 0o600],
        ['ca.pem', 0o644],
        ['edge.env', 0o644],
      ],
    );
    const env = parseEnvFile(files[3].content);
    assert.deepEqual(env, {
      LOGSTREAM_EDGE_BROKERS: 'kafka-1.example.net:9093,kafka-2.example.net:9093',
      LOGSTREAM_EDGE_CA_FILE: '/etc/logstream/ca.pem',
      LOGSTREAM_EDGE_CERT_FILE: '/etc/logstream/client.pem',
      LOGSTREAM_EDGE_KEY_FILE: '/etc/logstream/client.key',
      LOGSTREAM_EDGE_NODE_ID: 'fra1',
    });
    assert.match(
      files[3].content,
      /^# .*logstream-edge\.fra1.*\n# .*0abc.*\n# .*2030-01-02T03:04:05/,
    );
  });
});
