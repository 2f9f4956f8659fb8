import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidBundleInputError } from './bundle.errors';
import { BUNDLE_FILE_PATHS, exampleGroupId, validateBundleInput } from './bundle.rules';
import type { CredentialBundleInput } from './bundle.types';
import { bundleInput, testCa } from './testing/bundle-input.factory';

function problemsOf(input: CredentialBundleInput): readonly string[] {
  try {
    validateBundleInput(input);
  } catch (err) {
    assert.ok(err instanceof InvalidBundleInputError, String(err));
    return err.problems;
  }
  return [];
}

describe('bundle input rules', () => {
  const ca = testCa();
  const acme = bundleInput(ca, 'acme');

  it('accepts a credential of the customer, signed by the CA, with its own key', () => {
    assert.deepEqual(problemsOf(acme), []);
  });

  it("refuses another customer's certificate (or another credential's)", () => {
    const other = bundleInput(ca, 'acme-corp');
    assert.match(
      problemsOf({ ...acme, certificate: other.certificate }).join('\n'),
      /O=customers,OU=acme-corp,CN=k1.*not "O=customers,OU=acme,CN=k1"/,
    );
    assert.match(
      problemsOf({ ...acme, credentialId: 'k2' }).join('\n'),
      /not "O=customers,OU=acme,CN=k2"/,
    );
  });

  it('accepts a customer id of 63 characters (customer id and credential id are separate RDNs)', () => {
    const long = bundleInput(ca, `a${'b'.repeat(61)}c`, 'k'.repeat(32));
    assert.deepEqual(problemsOf(long), []);
  });

  it('refuses a certificate the CA did not sign, or a key that is not its own', () => {
    const foreign = bundleInput(testCa(), 'acme');
    assert.match(
      problemsOf({ ...acme, certificate: foreign.certificate }).join('\n'),
      /not signed by the given CA/,
    );
    const mixed = { ...acme.certificate, keyPem: bundleInput(ca, 'acme').certificate.keyPem };
    assert.match(problemsOf({ ...acme, certificate: mixed }).join('\n'), /does not belong/);
  });

  it('refuses to ship a private key given as the CA certificate (a platform secret)', () => {
    const withKey = { ...acme, caCertPem: ca.certPem + ca.root.exportKeyPem() };
    assert.match(
      problemsOf(withKey).join('\n'),
      /private key was given where a certificate belongs/,
    );
  });

  it('refuses a PKCS#1 key: Kafka and Java load PKCS#8 only', () => {
    const pkcs1 = acme.certificate.keyPem.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY');
    assert.match(
      problemsOf({ ...acme, certificate: { ...acme.certificate, keyPem: pkcs1 } }).join('\n'),
      /PKCS#8/,
    );
  });

  it('refuses bootstrap servers that are not plain host:port (they land in scripts)', () => {
    for (const bad of [
      'localhost',
      'localhost:0',
      'h:99999',
      "h:1'; rm -rf ~",
      'a b:1',
      '-x:1',
      '',
    ]) {
      assert.match(
        problemsOf({ ...acme, bootstrapServers: [bad] }).join('\n'),
        /bootstrap server/,
        bad,
      );
    }
    assert.match(problemsOf({ ...acme, bootstrapServers: [] }).join('\n'), /at least one/);
    for (const good of [
      'localhost:19094',
      '10.0.0.1:9094',
      '[::1]:9094',
      'k-1.example.net:65535',
    ]) {
      assert.deepEqual(problemsOf({ ...acme, bootstrapServers: [good] }), [], good);
    }
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      ...acme,
      credentialId: 'K 1',
      bootstrapServers: ['nope'],
      caCertPem: 'not a certificate',
    });
    assert.equal(problems.length, 3, problems.join('\n'));
  });

  it('names example groups under the customer prefix', () => {
    assert.equal(exampleGroupId({ groupPrefix: 'acme.' }, 'kcat'), 'acme.kcat');
  });

  it('lists the layout of the contract, scripts under examples/', () => {
    assert.deepEqual([...BUNDLE_FILE_PATHS].sort(), [
      'README.md',
      'ca.pem',
      'client.key',
      'client.p12',
      'client.pem',
      'client.properties',
      'examples/consumer.mjs',
      'examples/consumer.py',
      'examples/filebeat.yml',
      'examples/kcat.sh',
      'examples/logstash.conf',
    ]);
  });
});
