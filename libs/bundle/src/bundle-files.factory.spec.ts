import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { credentialBundleFiles } from './bundle-files.factory';
import { BUNDLE_DIR_VARIABLE, BUNDLE_FILE_PATHS } from './bundle.rules';
import type { BundleFile } from './bundle.types';
import { EXAMPLE_COMMANDS } from './readme.factory';
import { bundleInput, testCa } from './testing/bundle-input.factory';

const PASSWORD = 'Abcdefghijkmnpqrstuvwxyz';

function text(files: readonly BundleFile[], name: string): string {
  const file = files.find((f) => f.path === name);
  assert.ok(file, `no ${name} in the bundle`);
  return file.content.toString();
}

/** `${LOGSTREAM_BUNDLE_DIR}/<file>` must name a file of the bundle. */
function assertBundlePath(value: unknown): void {
  assert.equal(typeof value, 'string');
  const prefix = '${' + BUNDLE_DIR_VARIABLE + '}/';
  assert.ok((value as string).startsWith(prefix), `${String(value)} is not under ${prefix}`);
  assert.ok(
    (BUNDLE_FILE_PATHS as readonly string[]).includes((value as string).slice(prefix.length)),
    `${String(value)} is not a file of the bundle`,
  );
}

function run(command: string, args: string[], cwd: string) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 20_000 });
}

describe('the files of a credentials bundle', () => {
  const ca = testCa();
  const input = bundleInput(ca, 'acme');
  const files = credentialBundleFiles(input, PASSWORD);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'logstream-bundle-files-'));
    mkdirSync(path.join(dir, 'examples'));
    for (const f of files) {
      writeFileSync(path.join(dir, f.path), f.content);
      chmodSync(path.join(dir, f.path), f.mode);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are exactly the layout of the contract, scripts executable and secrets private', () => {
    assert.deepEqual(
      files.map((f) => [f.path, f.mode.toString(8)]),
      [
        ['README.md', '600'],
        ['ca.pem', '644'],
        ['client.pem', '644'],
        ['client.key', '600'],
        ['client.p12', '600'],
        ['client.properties', '600'],
        ['examples/kcat.sh', '755'],
        ['examples/consumer.py', '755'],
        ['examples/consumer.mjs', '755'],
        ['examples/filebeat.yml', '644'],
        ['examples/logstash.conf', '600'],
      ],
    );
  });

  it('hold the CA, the certificate and its PKCS#8 key', () => {
    assert.equal(text(files, 'ca.pem'), ca.certPem);
    assert.equal(
      text(files, 'client.pem'),
      input.certificate.certPem + input.certificate.chainPems.join(''),
    );
    const key = text(files, 'client.key');
    assert.match(key, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(
      new X509Certificate(text(files, 'client.pem')).checkPrivateKey(createPrivateKey(key)),
      true,
    );
  });

  it('give in the README the topic, servers, group prefix, expiry, password and how to run and replay', () => {
    const readme = text(files, 'README.md');
    for (const expected of [
      '`cdn-logs.acme`',
      '`kafka1.example.net:9094,kafka2.example.net:9094`',
      'any group id starting with `acme.`',
      input.certificate.notAfter.toISOString(),
      `\`${PASSWORD}\``,
      '`User:customer.acme.k1`',
      input.certificate.fingerprintSha256,
      ...Object.values(EXAMPLE_COMMANDS).map((c) => `${c} --from-beginning --exit-at-end`),
      ...Object.values(EXAMPLE_COMMANDS).map((c) => `${c} --from-time 2025-01-31T12:00:00Z`),
      'npm install kafkajs@2.2.4 lz4js@0.2.0 fzstd@0.1.1',
      'apt install python3-confluent-kafka',
      '--consumer.config client.properties',
      `${BUNDLE_DIR_VARIABLE}="$PWD" filebeat -e -c "$PWD/examples/filebeat.yml"`,
      `${BUNDLE_DIR_VARIABLE}="$PWD" logstash -f "$PWD/examples/logstash.conf"`,
    ]) {
      assert.ok(readme.includes(expected), `README lacks ${expected}`);
    }
  });

  it('configure Java clients with the p12, its password, the PEM CA and a group of the customer', () => {
    const props = Object.fromEntries(
      text(files, 'client.properties')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.deepEqual(props, {
      'bootstrap.servers': 'kafka1.example.net:9094,kafka2.example.net:9094',
      'security.protocol': 'SSL',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': 'ca.pem',
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': 'client.p12',
      'ssl.keystore.password': PASSWORD,
      'group.id': 'acme.java',
      'auto.offset.reset': 'earliest',
    });
  });

  it('make filebeat.yml a kafka input on the topic, under the prefix, with the bundle certificates', () => {
    const doc = parseYaml(text(files, 'examples/filebeat.yml')) as {
      'filebeat.inputs': Record<string, unknown>[];
      'output.console': unknown;
    };
    assert.equal(doc['filebeat.inputs'].length, 1);
    const [kafka] = doc['filebeat.inputs'];
    assert.equal(kafka.type, 'kafka');
    assert.deepEqual(kafka.hosts, ['kafka1.example.net:9094', 'kafka2.example.net:9094']);
    assert.deepEqual(kafka.topics, ['cdn-logs.acme']);
    assert.equal(kafka.group_id, 'acme.filebeat');
    assert.equal(kafka.initial_offset, 'oldest');
    assert.equal(kafka['ssl.enabled'], true);
    assert.ok(Array.isArray(kafka['ssl.certificate_authorities']));
    const [caPath] = kafka['ssl.certificate_authorities'] as unknown[];
    assertBundlePath(caPath);
    assert.ok(String(caPath).endsWith('/ca.pem'));
    assertBundlePath(kafka['ssl.certificate']);
    assert.ok(String(kafka['ssl.certificate']).endsWith('/client.pem'));
    assertBundlePath(kafka['ssl.key']);
    assert.ok(String(kafka['ssl.key']).endsWith('/client.key'));
    assert.ok(doc['output.console']);
  });

  it('make logstash.conf a kafka input on the topic, under the prefix, with the bundle keystore', () => {
    const conf = text(files, 'examples/logstash.conf');
    const block = /^input \{\n {2}kafka \{\n([\s\S]*?)\n {2}\}\n\}$/m.exec(conf);
    assert.ok(block, conf);
    const settings = Object.fromEntries(
      [...block[1].matchAll(/^ {4}(\w+) => (.+)$/gm)].map((m) => [m[1], m[2]]),
    );
    assert.deepEqual(settings, {
      bootstrap_servers: '"kafka1.example.net:9094,kafka2.example.net:9094"',
      topics: '["cdn-logs.acme"]',
      group_id: '"acme.logstash"',
      client_id: '"acme.logstash"',
      auto_offset_reset: '"earliest"',
      security_protocol: '"SSL"',
      ssl_truststore_type: '"PEM"',
      ssl_truststore_location: `"\${${BUNDLE_DIR_VARIABLE}}/ca.pem"`,
      ssl_keystore_type: '"PKCS12"',
      ssl_keystore_location: `"\${${BUNDLE_DIR_VARIABLE}}/client.p12"`,
      ssl_keystore_password: `"${PASSWORD}"`,
      codec: 'plain',
    });
    assertBundlePath(JSON.parse(settings.ssl_truststore_location));
    assertBundlePath(JSON.parse(settings.ssl_keystore_location));
    assert.match(conf, /^output \{\n {2}stdout \{/m);
  });

  it('ship scripts that parse: bash, Python and Node', () => {
    const bash = run('bash', ['-n', 'examples/kcat.sh'], dir);
    assert.equal(bash.status, 0, bash.stderr);
    const py = run(
      'python3',
      ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', 'examples/consumer.py'],
      dir,
    );
    assert.equal(py.status, 0, py.stderr);
    const node = run(process.execPath, ['--check', 'examples/consumer.mjs'], dir);
    assert.equal(node.status, 0, node.stderr);
  });

  it('answer --help, and refuse a group outside the prefix with exit status 2', () => {
    const kcatHelp = run('./examples/kcat.sh', ['--help'], dir);
    assert.equal(kcatHelp.status, 0, kcatHelp.stderr);
    assert.match(kcatHelp.stdout, /--from-beginning[\s\S]*--from-time[\s\S]*--exit-at-end/);
    const nodeHelp = run(process.execPath, ['examples/consumer.mjs', '--help'], dir);
    assert.equal(nodeHelp.status, 0, nodeHelp.stderr);
    assert.match(nodeHelp.stdout, /--from-beginning[\s\S]*--from-time[\s\S]*--exit-at-end/);
    for (const [cmd, args] of [
      ['./examples/kcat.sh', ['--group', 'other.kcat']],
      [process.execPath, ['examples/consumer.mjs', '--group', 'other.node']],
    ] as const) {
      const res = run(cmd, [...args], dir);
      assert.equal(res.status, 2, res.stderr);
      assert.match(res.stderr, /must start with .acme\../);
      assert.equal(res.stdout, '');
    }
    const badTime = run('./examples/kcat.sh', ['--from-time', 'yesterday-ish'], dir);
    assert.equal(badTime.status, 2);
    assert.match(badTime.stderr, /cannot read the time/);
  });

  it("hold nothing of another customer's, nor any platform secret", () => {
    const other = bundleInput(ca, 'acme-corp');
    const otherFiles = credentialBundleFiles(other, 'OtherPasswordOtherPass12');
    const caKeyBody = [ca.root.exportKeyPem(), ca.issuing.exportKeyPem()].flatMap((pem) =>
      pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')),
    );
    for (const f of files) {
      const content = f.content.toString('latin1');
      for (const leak of [
        'acme-corp',
        'customer.acme-corp.k1',
        other.certificate.keyPem,
        'OtherPasswordOtherPass12',
        ...caKeyBody,
      ]) {
        assert.ok(!content.includes(leak), `${f.path} holds ${leak.slice(0, 40)}`);
      }
      if (f.path !== 'client.key') assert.doesNotMatch(content, /PRIVATE KEY/, f.path);
      // Every customer-looking name in the file is this customer's.
      for (const m of content.matchAll(/customer\.([a-z0-9-]+)\./g))
        assert.equal(m[1], 'acme', f.path);
      for (const m of content.matchAll(/cdn-logs\.([a-z0-9-]+)/g))
        assert.equal(m[1], 'acme', f.path);
    }
    assert.ok(otherFiles.every((f) => !f.content.toString('latin1').includes('customer.acme.k1')));
  });
});
