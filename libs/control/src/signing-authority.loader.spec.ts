import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '@logstream/pki';
import { loadSigningAuthority } from './signing-authority.loader';

describe('loadSigningAuthority', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'logstream-ca-'));
    // The API holds a customer-issuing CA (an intermediate limited to O=customers), never a root.
    const one = CertificateAuthority.generate('Test root', 30).issueIntermediate({
      commonName: 'Test customer CA one',
      validityDays: 30,
      permittedOrganization: 'customers',
    });
    const two = CertificateAuthority.generate('Test CA two', 30);
    await writeFile(file('one.pem'), one.certPem);
    await writeFile(file('one.key'), one.exportKeyPem());
    await writeFile(file('two.key'), two.exportKeyPem());
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a CA whose key belongs to its certificate', async () => {
    const signing = await loadSigningAuthority({
      caCertFile: file('one.pem'),
      caKeyFile: file('one.key'),
      brokerCaFile: file('one.pem'),
    });
    assert.match(signing.ca.certPem, /BEGIN CERTIFICATE/);
    assert.match(signing.ca.keyPem, /BEGIN PRIVATE KEY/);
  });

  it('refuses to start with a key that is not the certificate’s', async () => {
    await assert.rejects(
      loadSigningAuthority({
        caCertFile: file('one.pem'),
        caKeyFile: file('two.key'),
        brokerCaFile: file('one.pem'),
      }),
      /the CA key .*two\.key does not belong to the CA certificate .*one\.pem/,
    );
  });
});
