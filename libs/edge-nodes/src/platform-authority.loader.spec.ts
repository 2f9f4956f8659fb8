import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '@logstream/pki';
import { EdgeNodeRefusedError } from './edge-node.errors';
import { loadPlatformAuthority } from './platform-authority.loader';

describe('the platform CA edge-admin signs with', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'logstream-platform-ca-'));
    const root = CertificateAuthority.generate('Test Root', 2);
    const customers = root.issueIntermediate({
      commonName: 'Test Customer CA',
      validityDays: 1,
      permittedOrganization: 'customers',
    });
    const other = CertificateAuthority.generate('Other Root', 2);
    await writeFile(file('root.pem'), root.certPem);
    await writeFile(file('root.key'), root.exportKeyPem());
    await writeFile(file('customer.pem'), customers.certPem);
    await writeFile(file('customer.key'), customers.exportKeyPem());
    await writeFile(file('other.key'), other.exportKeyPem());
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function refusal(cert: string, key: string): Promise<string> {
    try {
      await loadPlatformAuthority({
        caCertFile: file(cert),
        caKeyFile: file(key),
        brokerCaFile: file('root.pem'),
      });
    } catch (err) {
      assert.ok(err instanceof EdgeNodeRefusedError);
      assert.equal(err.reason, 'bad_ca');
      return err.message;
    }
    throw new Error('loaded');
  }

  it('is the root: it signs a one-CN edge certificate', async () => {
    const { ca, brokerCaPem } = await loadPlatformAuthority({
      caCertFile: file('root.pem'),
      caKeyFile: file('root.key'),
      brokerCaFile: file('root.pem'),
    });
    assert.match(brokerCaPem, /BEGIN CERTIFICATE/);
    const cert = ca.issue({ commonName: 'logstream-edge.fra1', usage: 'client', validityDays: 1 });
    assert.deepEqual(cert.chainPems, []);
  });

  it('refuses a name-constrained CA, whose edge certificates the broker would reject', async () => {
    assert.match(
      await refusal('customer.pem', 'customer.key'),
      /confined to O=customers by name constraints.*give the platform root/,
    );
  });

  it("refuses a key that is not the certificate's, and files it cannot read", async () => {
    assert.match(await refusal('root.pem', 'other.key'), /does not belong to/);
    assert.match(
      await refusal('missing.pem', 'root.key'),
      /cannot read the CA certificate \(LOGSTREAM_PLATFORM_CA_CERT_FILE\)/,
    );
  });
});
