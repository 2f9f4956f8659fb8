import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCustomerId } from '@logstream/tenancy';
import { NODE_EXAMPLE_INSTALL, NODE_EXAMPLE_PACKAGES, nodeExample } from './node-example.factory';
import { REPO_ROOT } from '@logstream/config';

describe('the Node example (consumer.mjs)', () => {
  it('needs only packages the repository pins at the same versions, so the tests run what customers install', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const pinned = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const spec of NODE_EXAMPLE_PACKAGES) {
      const at = spec.lastIndexOf('@');
      const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
      assert.match(
        pinned[name] ?? 'missing',
        new RegExp(`^\\^?${version.replace(/\./g, '\\.')}$`),
        spec,
      );
    }
  });

  it('plugs in the lz4 and zstd decoders and names the install command when a package is missing', () => {
    const js = nodeExample({
      customerId: parseCustomerId('acme'),
      credentialId: 'k1',
      principal: 'customer.acme.k1',
      topic: 'cdn-logs.acme',
      statsTopic: 'cdn-stats.acme',
      groupPrefix: 'acme.',
      bootstrap: 'kafka1.example.net:9094',
      bootstrapServers: ['kafka1.example.net:9094'],
      certificateExpiry: '2027-01-01T00:00:00.000Z',
      fingerprintSha256: 'AA',
      p12Password: 'secret',
    });
    assert.ok(js.includes('CompressionCodecs[CompressionTypes.LZ4] = '));
    assert.ok(js.includes('CompressionCodecs[CompressionTypes.ZSTD] = '));
    assert.ok(js.includes(`(run "${NODE_EXAMPLE_INSTALL}" in `));
    assert.equal(NODE_EXAMPLE_INSTALL, 'npm install kafkajs@2.2.4 lz4js@0.2.0 fzstd@0.1.1');
  });
});
