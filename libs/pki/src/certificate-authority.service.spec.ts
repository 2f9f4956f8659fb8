import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as forge from 'node-forge';
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

  it('marks a client certificate for TLS client use only: critical key usage, not a CA', () => {
    const issued = ca.issue({ commonName: 'customer.acme.k2', usage: 'client', validityDays: 1 });
    const cert = forge.pki.certificateFromPem(issued.certPem);
    const keyUsage = cert.getExtension('keyUsage') as Record<string, boolean> | null;
    assert.equal(keyUsage?.critical, true);
    assert.equal(keyUsage?.digitalSignature, true);
    assert.equal(keyUsage?.keyEncipherment, true);
    assert.equal(keyUsage?.keyCertSign ?? false, false);
    const basic = cert.getExtension('basicConstraints') as Record<string, boolean> | null;
    assert.equal(basic?.cA, false);
    const ext = cert.getExtension('extKeyUsage') as Record<string, boolean> | null;
    assert.equal(ext?.clientAuth, true);
    assert.equal(ext?.serverAuth ?? false, false);
  });

  it('chains to the CA for openssl, as a TLS client certificate and not a server one', () => {
    const issued = ca.issue({ commonName: 'customer.acme.k3', usage: 'client', validityDays: 1 });
    const dir = mkdtempSync(path.join(tmpdir(), 'logstream-ca-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
      writeFileSync(path.join(dir, 'client.pem'), issued.certPem);
      const verify = (purpose: string) =>
        spawnSync('openssl', ['verify', '-purpose', purpose, '-CAfile', 'ca.pem', 'client.pem'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 10_000,
        });
      const client = verify('sslclient');
      assert.equal(client.status, 0, client.stderr);
      assert.match(client.stdout, /client\.pem: OK/);
      const server = verify('sslserver');
      assert.notEqual(server.status, 0);
      assert.match(
        server.stdout + server.stderr,
        /unsuitable certificate purpose|unsupported certificate purpose/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  it('issues a certificate for an explicit window, which openssl rejects once it has passed', () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2020-01-02T00:00:00Z');
    const expired = ca.issue({
      commonName: 'customer.acme.old',
      usage: 'client',
      notBefore,
      notAfter,
    });
    const x509 = new X509Certificate(expired.certPem);
    assert.equal(Date.parse(x509.validFrom), notBefore.getTime());
    assert.equal(Date.parse(x509.validTo), notAfter.getTime());
    assert.deepEqual([expired.notBefore, expired.notAfter], [notBefore, notAfter]);
    assert.equal(x509.verify(caX509.publicKey), true, 'still signed by the CA');

    const dir = mkdtempSync(path.join(tmpdir(), 'logstream-ca-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
      writeFileSync(path.join(dir, 'expired.pem'), expired.certPem);
      const res = spawnSync('openssl', ['verify', '-CAfile', 'ca.pem', 'expired.pem'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.notEqual(res.status, 0);
      assert.match(res.stdout + res.stderr, /certificate has expired/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a window that ends before it starts, is not a date or is too long', () => {
    const at = (iso: string) => new Date(iso);
    const cases: Array<[Date, Date, RegExp]> = [
      [at('2020-01-02T00:00:00Z'), at('2020-01-01T00:00:00Z'), /must end .* after it starts/],
      [at('2020-01-01T00:00:00Z'), at('2020-01-01T00:00:00Z'), /must end .* after it starts/],
      [at('not a date'), at('2020-01-01T00:00:00Z'), /valid dates/],
      [at('2020-01-01T00:00:00Z'), at('2031-01-01T00:00:00Z'), /at most 3650 days/],
    ];
    for (const [notBefore, notAfter, message] of cases) {
      assert.throws(
        () => ca.issue({ commonName: 'a', usage: 'client', notBefore, notAfter }),
        message,
      );
    }
  });

  it('round-trips through PEM and refuses a non-CA certificate as CA', () => {
    const again = CertificateAuthority.fromPem({ certPem: ca.certPem, keyPem: ca.exportKeyPem() });
    const issued = again.issue({ commonName: 'b', usage: 'client', validityDays: 1 });
    assert.equal(new X509Certificate(issued.certPem).verify(caX509.publicKey), true);
    assert.throws(() => CertificateAuthority.fromPem(issued), /not a CA/);
  });

  it('issues the longest validity it allows (a ten-year CA), backdated for clock skew', () => {
    const long = CertificateAuthority.generate('Ten Year CA', 3650);
    const x509 = new X509Certificate(long.certPem);
    assert.ok(new Date(x509.validTo).getTime() - Date.now() > 3649 * 86_400_000);
  });

  it('makes an issuing CA that signs only subjects under O=<organization>, checked by openssl', () => {
    const issuing = ca.issueIntermediate({
      commonName: 'Test Customer CA',
      validityDays: 2,
      permittedOrganization: 'customers',
    });
    assert.equal(issuing.isRoot, false);
    assert.deepEqual(issuing.permittedOrganizations, ['customers']);
    assert.equal(ca.isRoot, true);
    const long = 'a'.repeat(63);
    const good = issuing.issue({
      organization: 'customers',
      organizationalUnit: long,
      commonName: 'k'.repeat(32),
      usage: 'client',
      validityDays: 1,
    });
    assert.equal(
      new X509Certificate(good.certPem).subject,
      `O=customers\nOU=${long}\nCN=${'k'.repeat(32)}`,
    );
    assert.deepEqual(good.chainPems, [issuing.certPem]);
    assert.throws(
      () =>
        issuing.issue({ commonName: 'logstream-provisioner', usage: 'client', validityDays: 1 }),
      /only subjects under O=customers/,
    );
    // Signed by hand, past the object's own check: openssl refuses it on name constraints.
    const unchecked = Object.create(issuing) as CertificateAuthority;
    Object.defineProperty(unchecked, 'permittedOrganizations', { get: () => [] });
    const forged = unchecked.issue({
      commonName: 'logstream-provisioner',
      usage: 'client',
      validityDays: 1,
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'logstream-ca-'));
    try {
      writeFileSync(path.join(dir, 'root.pem'), ca.certPem);
      writeFileSync(path.join(dir, 'issuing.pem'), issuing.certPem);
      writeFileSync(path.join(dir, 'good.pem'), good.certPem);
      writeFileSync(path.join(dir, 'forged.pem'), forged.certPem);
      const verify = (file: string) =>
        spawnSync('openssl', ['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', file], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 10_000,
        });
      const ok = verify('good.pem');
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      const refused = verify('forged.pem');
      assert.notEqual(refused.status, 0);
      assert.match(refused.stdout + refused.stderr, /permitted subtree violation/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
