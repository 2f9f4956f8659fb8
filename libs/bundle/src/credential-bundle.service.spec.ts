import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import * as forge from 'node-forge';
import { InvalidBundleInputError } from './bundle.errors';
import { BUNDLE_FILE_PATHS } from './bundle.rules';
import { bundleRoot, credentialBundleStream } from './credential-bundle.service';
import { bundleInput, testCa } from './testing/bundle-input.factory';

/** Names and Unix modes of a zip's entries, read by Python's zipfile (no zip reader in node_modules). */
const LIST_ZIP = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps([[i.filename, oct((i.external_attr >> 16) & 0o777)[2:]] for i in z.infolist()]))
`;

describe('the credentials bundle zip', () => {
  const ca = testCa();
  const input = bundleInput(ca, 'acme', 'k7', ['localhost:19094']);
  let dir: string;
  let zipFile: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'logstream-bundle-zip-'));
    zipFile = path.join(dir, 'bundle.zip');
    await pipeline(credentialBundleStream(input), createWriteStream(zipFile));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds exactly the expected files, in one <customerId>-logstream folder, with their modes', () => {
    const res = spawnSync('python3', ['-c', LIST_ZIP, zipFile], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(res.status, 0, res.stderr);
    const entries = JSON.parse(res.stdout) as [string, string][];
    assert.equal(bundleRoot(input), 'acme-logstream');
    assert.deepEqual(
      entries.map(([name]) => name),
      BUNDLE_FILE_PATHS.map((p) => `acme-logstream/${p}`),
    );
    const modes = Object.fromEntries(entries);
    assert.equal(modes['acme-logstream/examples/kcat.sh'], '755');
    assert.equal(modes['acme-logstream/client.key'], '600');
    assert.equal(modes['acme-logstream/client.p12'], '600');
  });

  it('unzips to files that hold the credential, with a p12 that opens with the README password', () => {
    const unzip = spawnSync('unzip', ['-q', zipFile, '-d', dir], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(unzip.status, 0, unzip.stderr);
    const root = path.join(dir, 'acme-logstream');
    assert.equal(
      readFileSync(path.join(root, 'client.pem'), 'utf8'),
      input.certificate.certPem + input.certificate.chainPems.join(''),
    );
    assert.equal(readFileSync(path.join(root, 'client.key'), 'utf8'), input.certificate.keyPem);
    assert.equal(readFileSync(path.join(root, 'ca.pem'), 'utf8'), ca.certPem);
    const password = /\| `client\.p12` password \| `([A-Za-z0-9]+)` \|/.exec(
      readFileSync(path.join(root, 'README.md'), 'utf8'),
    )?.[1];
    assert.ok(password);
    const der = readFileSync(path.join(root, 'client.p12')).toString('binary');
    const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password);
    const bag = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
      forge.pki.oids.pkcs8ShroudedKeyBag
    ]?.[0];
    const key = bag?.key as forge.pki.rsa.PrivateKey;
    const cert = forge.pki.certificateFromPem(input.certificate.certPem);
    assert.equal((cert.publicKey as forge.pki.rsa.PublicKey).n.compareTo(key.n), 0);
    assert.ok(readFileSync(path.join(root, 'client.properties'), 'utf8').includes(password));
  });

  it('gives every bundle a new p12 password', async () => {
    const second = path.join(dir, 'second.zip');
    await pipeline(credentialBundleStream(input), createWriteStream(second));
    const passwords = [zipFile, second].map((f) => {
      const res = spawnSync('unzip', ['-p', f, 'acme-logstream/client.properties'], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      return /ssl\.keystore\.password=(\S+)/.exec(res.stdout)?.[1];
    });
    assert.ok(passwords[0] && passwords[1]);
    assert.notEqual(passwords[0], passwords[1]);
  });

  it('throws on bad input before any byte is streamed', () => {
    assert.throws(
      () => credentialBundleStream({ ...input, bootstrapServers: ['localhost'] }),
      InvalidBundleInputError,
    );
  });
});
