import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as forge from 'node-forge';
import { CertificateAuthority } from './certificate-authority.service';
import { PKCS12_KEY_ALIAS, pkcs12Keystore, randomKeystorePassword } from './pkcs12.factory';

/** Runs a real tool (openssl, keytool), bounded in time. */
function tool(command: string, args: string[]): { code: number | null; out: string } {
  const res = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (res.error) throw res.error;
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('PKCS#12 keystores', () => {
  const ca = CertificateAuthority.generate('P12 Test CA', 2);
  const issued = ca.issue({ commonName: 'customer.acme.p12', usage: 'client', validityDays: 7 });
  const password = randomKeystorePassword();
  const p12 = pkcs12Keystore(issued, [ca.certPem], password);
  const dir = mkdtempSync(path.join(tmpdir(), 'logstream-p12-'));
  const file = path.join(dir, 'client.p12');
  writeFileSync(file, p12);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes random 24-character passwords of letters and digits', () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomKeystorePassword()));
    assert.equal(seen.size, 50);
    for (const p of seen) assert.match(p, /^[A-Za-z0-9]{24}$/);
  });

  it('loads back with its password: the key of the certificate, then the chain to the CA', () => {
    const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), password);
    const keyBags = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
      forge.pki.oids.pkcs8ShroudedKeyBag
    ];
    const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag];
    assert.equal(keyBags?.length, 1);
    assert.deepEqual(
      certBags?.map((b) => (b.cert?.subject.getField('CN') as { value: string } | null)?.value),
      ['customer.acme.p12', 'P12 Test CA'],
    );
    const key = keyBags[0].key as forge.pki.rsa.PrivateKey;
    const pem = forge.pki.privateKeyInfoToPem(
      forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)),
    );
    assert.equal(new X509Certificate(issued.certPem).checkPrivateKey(createPrivateKey(pem)), true);
    const attributes = keyBags[0].attributes as { friendlyName?: string[] };
    assert.deepEqual(attributes.friendlyName, [PKCS12_KEY_ALIAS]);
  });

  it('refuses a wrong password', () => {
    assert.throws(() =>
      forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), 'wrong-password'),
    );
  });

  it('refuses passwords shorter than 8 characters', () => {
    assert.throws(() => pkcs12Keystore(issued, [], 'short'), /at least 8/);
  });

  it('opens with openssl pkcs12, which gives back the same key and certificate', () => {
    const pass = `pass:${password}`;
    const certs = tool('openssl', ['pkcs12', '-in', file, '-passin', pass, '-nokeys']);
    assert.equal(certs.code, 0, certs.out);
    assert.match(certs.out, /subject=CN\s?=\s?customer\.acme\.p12/);
    assert.match(certs.out, /subject=CN\s?=\s?P12 Test CA/);
    const keys = tool('openssl', ['pkcs12', '-in', file, '-passin', pass, '-nocerts', '-nodes']);
    assert.equal(keys.code, 0, keys.out);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(keys.out);
    assert.ok(keyPem, keys.out);
    assert.deepEqual(
      createPublicKey(createPrivateKey(keyPem[0])).export({ type: 'spki', format: 'der' }),
      new X509Certificate(issued.certPem).publicKey.export({ type: 'spki', format: 'der' }),
    );
    const wrong = tool('openssl', ['pkcs12', '-in', file, '-passin', 'pass:nope', '-nokeys']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.out, /mac verify|invalid password/i);
  });

  it("lists in Java's keytool as one private key entry with a chain of two", () => {
    const res = tool('keytool', [
      '-list',
      '-v',
      '-storetype',
      'PKCS12',
      '-keystore',
      file,
      '-storepass',
      password,
    ]);
    assert.equal(res.code, 0, res.out);
    assert.match(res.out, /Your keystore contains 1 entry/);
    assert.match(res.out, new RegExp(`Alias name: ${PKCS12_KEY_ALIAS}\\b`));
    assert.match(res.out, /Entry type: PrivateKeyEntry/);
    assert.match(res.out, /Certificate chain length: 2/);
    assert.match(res.out, /Owner: CN=customer\.acme\.p12/);
    const wrong = tool('keytool', [
      '-list',
      '-storetype',
      'PKCS12',
      '-keystore',
      file,
      '-storepass',
      'wrong-pass',
    ]);
    assert.notEqual(wrong.code, 0);
  });
});
