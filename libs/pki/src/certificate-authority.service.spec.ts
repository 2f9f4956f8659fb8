import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { CertificateAuthority } from './certificate-authority.service';

describe('CertificateAuthority', () => {
  const ca = CertificateAuthority.generate('Test CA', 30);
  const caX509 = new X509Certificate(ca.certPem);

  it('makes a CA certificate that is self-signed and marked as a CA', () => {
    assert.equal(caX509.ca, true);
    assert.equal(caX509.subject, 'CN=Test CA');
    assert.equal(caX509.verify(caX509.publicKey), true);
  });

  it('issues a client certificate with one CN, chained to the CA, with a PKCS#8 key', () => {
    const issued = ca.issue({ commonName: 'customer.acme.k1', usage: 'client', validityDays: 90 });
    const x509 = new X509Certificate(issued.certPem);
    assert.equal(x509.subject, 'CN=customer.acme.k1');
    assert.equal(x509.issuer, 'CN=Test CA');
    assert.equal(x509.verify(caX509.publicKey), true);
    assert.equal(x509.ca, false);
    assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.2']); // clientAuth only
    assert.match(issued.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(x509.checkPrivateKey(createPrivateKey(issued.keyPem)), true);
    assert.equal(issued.fingerprintSha256, x509.fingerprint256);
    assert.equal(issued.serial.toUpperCase(), x509.serialNumber.toUpperCase());
    const days = (issued.notAfter.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 89.9 && days <= 90, `validity ${days} days`);
    assert.ok(new Date(x509.validFrom) <= new Date());
  });

  it('issues a server certificate with DNS and IP SANs', () => {
    const issued = ca.issue({
      commonName: 'localhost',
      usage: 'server',
      validityDays: 10,
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const x509 = new X509Certificate(issued.certPem);
    assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.equal(x509.checkHost('localhost'), 'localhost');
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
  });

  it('gives every certificate its own key and serial', () => {
    const a = ca.issue({ commonName: 'a', usage: 'client', validityDays: 1 });
    const b = ca.issue({ commonName: 'a', usage: 'client', validityDays: 1 });
    assert.notEqual(a.serial, b.serial);
    assert.notEqual(a.keyPem, b.keyPem);
  });

  it('refuses common names that could smuggle another RDN or principal', () => {
    for (const cn of ['', 'a,CN=admin', 'a b', 'User:x', 'x'.repeat(65), 'é']) {
      assert.throws(
        () => ca.issue({ commonName: cn, usage: 'client', validityDays: 1 }),
        /common name/,
      );
    }
  });

  it('refuses out-of-range validity', () => {
    assert.throws(
      () => ca.issue({ commonName: 'a', usage: 'client', validityDays: 0 }),
      /validity/,
    );
    assert.throws(
      () => ca.issue({ commonName: 'a', usage: 'client', validityDays: 1.5 }),
      /validity/,
    );
  });

  it('round-trips through PEM and refuses a non-CA certificate as CA', () => {
    const again = CertificateAuthority.fromPem({ certPem: ca.certPem, keyPem: ca.exportKeyPem() });
    const issued = again.issue({ commonName: 'b', usage: 'client', validityDays: 1 });
    assert.equal(new X509Certificate(issued.certPem).verify(caX509.publicKey), true);
    assert.throws(() => CertificateAuthority.fromPem(issued), /not a CA/);
  });
});
