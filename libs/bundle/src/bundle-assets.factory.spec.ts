import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCustomerId } from '@logstream/tenancy';
import { BUNDLE_ASSETS_DIR, bundleAsset, renderAsset } from './bundle-assets.factory';
import type { BundleValues } from './bundle.types';
import { clientProperties } from './config-examples.factory';
import { kcatExample, pythonExample } from './example-programs.factory';
import { NODE_EXAMPLE_INSTALL, nodeExample } from './node-example.factory';

const VALUES: BundleValues = {
  customerId: parseCustomerId('shop-7'),
  credentialId: 'k2',
  principal: 'customer.shop-7.k2',
  topic: 'cdn-logs.shop-7',
  statsTopic: 'cdn-stats.shop-7',
  groupPrefix: 'shop-7.',
  bootstrap: 'b1.example.net:9094,b2.example.net:9094',
  bootstrapServers: ['b1.example.net:9094', 'b2.example.net:9094'],
  certificateExpiry: '2027-01-01T00:00:00.000Z',
  fingerprintSha256: 'AB:CD',
  p12Password: 'Abcdefghijkmnpqrstuvwxyz',
};

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 20_000 });
}

describe('the bundle assets', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'logstream-bundle-assets-'));
    mkdirSync(path.join(dir, 'examples'));
    writeFileSync(path.join(dir, 'client.properties'), clientProperties(VALUES));
    for (const [name, text] of [
      ['kcat.sh', kcatExample()],
      ['consumer.py', pythonExample()],
      ['consumer.mjs', nodeExample()],
    ]) {
      writeFileSync(path.join(dir, 'examples', name), text, { mode: 0o755 });
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are found next to the compiled code, every file of libs/bundle/assets', () => {
    for (const sub of ['examples', 'templates', 'snippets']) {
      assert.ok(readdirSync(path.join(BUNDLE_ASSETS_DIR, sub)).length >= 3, sub);
    }
  });

  it('ship the programs as written: no placeholder, no customer name', () => {
    for (const text of [kcatExample(), pythonExample(), nodeExample()]) {
      assert.doesNotMatch(text, /\{\{|cdn-logs\.[a-z0-9]/);
    }
    assert.ok(nodeExample().includes(`"${NODE_EXAMPLE_INSTALL}"`));
  });

  it('fill in every placeholder of a template, and refuse one without a value', () => {
    for (const name of [
      'templates/README.md',
      'templates/filebeat.yml',
      'templates/logstash.conf',
    ]) {
      const text = renderAsset(name, {
        ...Object.fromEntries(
          [...bundleAsset(name).matchAll(/\{\{([A-Za-z0-9.]+)\}\}/g)].map((m) => [m[1], 'X']),
        ),
      });
      assert.doesNotMatch(text, /\{\{/, name);
    }
    assert.throws(() => renderAsset('templates/filebeat.yml', {}), /no value for \{\{/);
  });

  for (const [program, args] of [
    ['kcat.sh', ['./examples/kcat.sh']],
    // Debian's python3, the one python3-confluent-kafka is installed for (scripts/setup.sh).
    ['consumer.py', ['/usr/bin/python3', 'examples/consumer.py']],
    ['consumer.mjs', [process.execPath, 'examples/consumer.mjs']],
  ] as const) {
    it(`${program} reads the topic and group prefix from client.properties`, () => {
      const [cmd, ...rest] = args;
      const help = run(cmd, [...rest, '--help'], dir);
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /cdn-logs\.shop-7/);
      const bad = run(cmd, [...rest, '--group', 'shop-8.x'], dir);
      assert.equal(bad.status, 2, bad.stderr);
      assert.match(bad.stderr, /must start with .shop-7\./);
    });

    it(`${program} says so when client.properties lacks its values`, () => {
      const bare = mkdtempSync(path.join(tmpdir(), 'logstream-bundle-bare-'));
      try {
        mkdirSync(path.join(bare, 'examples'));
        writeFileSync(path.join(bare, 'examples', program), bundleAsset(`examples/${program}`), {
          mode: 0o755,
        });
        writeFileSync(path.join(bare, 'client.properties'), 'bootstrap.servers=b1:9094\n');
        const [cmd, ...rest] = args;
        const res = run(cmd, [...rest, '--help'], bare);
        assert.equal(res.status, 1, res.stderr);
        assert.match(res.stderr, /topic is missing from .*client\.properties/);
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    });
  }
});
