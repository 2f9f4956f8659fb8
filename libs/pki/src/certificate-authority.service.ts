import { randomBytes } from 'node:crypto';
import * as forge from 'node-forge';
import type {
  CertificateUsage,
  IssuedCertificate,
  IssueRequest,
  KeyPairPem,
  ValidityWindow,
} from './pki.types';

const KEY_BITS = 2048;
const MS_PER_DAY = 86_400_000;
/** Clock skew between this host and the broker must not make a fresh certificate "not yet valid". */
const BACKDATE_MS = 5 * 60_000;

/** node-forge writes CRLF; customers' files and the broker's keystore get plain LF. */
function lf(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}

function certificateToPem(cert: forge.pki.Certificate): string {
  return lf(forge.pki.certificateToPem(cert));
}

/** Writes a private key as PKCS#8 PEM; node-forge's privateKeyToPem would write PKCS#1. */
export function privateKeyToPkcs8Pem(key: forge.pki.rsa.PrivateKey): string {
  return lf(
    forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
  );
}

export function sha256Fingerprint(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const hex = forge.md.sha256.create().update(der).digest().toHex().toUpperCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

/** Positive, non-zero 128-bit serial (RFC 5280 wants positive; the top bit is cleared). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

const MAX_VALIDITY_DAYS = 3650;

function setValidityDays(cert: forge.pki.Certificate, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new Error(`validity must be 1 to ${MAX_VALIDITY_DAYS} days, got ${days}`);
  }
  const now = Date.now();
  setValidityWindow(cert, {
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + days * MS_PER_DAY),
  });
}

function setValidityWindow(cert: forge.pki.Certificate, window: ValidityWindow): void {
  const from = window.notBefore.getTime();
  const to = window.notAfter.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('validity dates must be valid dates');
  if (to <= from) throw new Error('validity must end (notAfter) after it starts (notBefore)');
  // The few minutes a certificate is backdated for clock skew do not count against the limit.
  if (to - from > MAX_VALIDITY_DAYS * MS_PER_DAY + BACKDATE_MS) {
    throw new Error(`validity must be at most ${MAX_VALIDITY_DAYS} days`);
  }
  cert.validity.notBefore = new Date(from);
  cert.validity.notAfter = new Date(to);
}

function usageExtensions(usage: CertificateUsage): object[] {
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    usage === 'server'
      ? { name: 'extKeyUsage', serverAuth: true, clientAuth: true }
      : { name: 'extKeyUsage', clientAuth: true },
  ];
}

/**
 * A certificate authority that signs server and client certificates. The CA key stays inside
 * this object: callers get certificates and their own keys, never the CA's.
 */
export class CertificateAuthority {
  private constructor(
    private readonly cert: forge.pki.Certificate,
    private readonly key: forge.pki.rsa.PrivateKey,
  ) {}

  /** A new self-signed CA (development and tests; production loads configured files). */
  static generate(commonName: string, validityDays = 3650): CertificateAuthority {
    const keys = forge.pki.rsa.generateKeyPair({ bits: KEY_BITS, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = randomSerial();
    setValidityDays(cert, validityDays);
    const subject = [{ name: 'commonName', value: commonName }];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    return new CertificateAuthority(cert, keys.privateKey);
  }

  static fromPem(pair: KeyPairPem): CertificateAuthority {
    const cert = forge.pki.certificateFromPem(pair.certPem);
    const key = forge.pki.privateKeyFromPem(pair.keyPem);
    const basic = cert.getExtension('basicConstraints') as { cA?: boolean } | null;
    if (!basic?.cA) throw new Error('the configured CA certificate is not a CA (basicConstraints)');
    return new CertificateAuthority(cert, key);
  }

  get certPem(): string {
    return certificateToPem(this.cert);
  }

  /** For persisting a generated development CA; production CAs are loaded, never exported. */
  exportKeyPem(): string {
    return privateKeyToPkcs8Pem(this.key);
  }

  issue(req: IssueRequest): IssuedCertificate {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(req.commonName)) {
      // One plain CN: the broker maps it to the principal, so no commas, "=" or spaces.
      throw new Error(`common name must be 1-64 of A-Z a-z 0-9 . _ -, got "${req.commonName}"`);
    }
    const keys = forge.pki.rsa.generateKeyPair({ bits: KEY_BITS, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = randomSerial();
    if ('validityDays' in req) setValidityDays(cert, req.validityDays);
    else setValidityWindow(cert, req);
    cert.setSubject([{ name: 'commonName', value: req.commonName }]);
    cert.setIssuer(this.cert.subject.attributes);
    const altNames = [
      ...(req.dnsNames ?? []).map((value) => ({ type: 2, value })),
      ...(req.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
    ];
    cert.setExtensions([
      ...usageExtensions(req.usage),
      ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
    ]);
    cert.sign(this.key, forge.md.sha256.create());
    return {
      commonName: req.commonName,
      certPem: certificateToPem(cert),
      keyPem: privateKeyToPkcs8Pem(keys.privateKey),
      serial: cert.serialNumber,
      fingerprintSha256: sha256Fingerprint(cert),
      notBefore: cert.validity.notBefore,
      notAfter: cert.validity.notAfter,
    };
  }
}
