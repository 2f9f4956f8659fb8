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

/** One plain RDN value: the broker's mapping rules read them, so no commas, "=", "+" or spaces. */
const RDN_VALUE = /^[A-Za-z0-9._-]{1,64}$/;

function checkRdnValue(what: string, value: string): void {
  if (!RDN_VALUE.test(value)) {
    throw new Error(`${what} must be 1-64 of A-Z a-z 0-9 . _ -, got "${value}"`);
  }
}

function nameKey(attributes: forge.pki.CertificateField[]): string {
  return JSON.stringify(attributes.map((a) => [a.type, a.value as unknown]));
}

function isSelfSigned(cert: forge.pki.Certificate): boolean {
  return nameKey(cert.subject.attributes) === nameKey(cert.issuer.attributes);
}

/**
 * The nameConstraints extension (RFC 5280 4.2.1.10) that confines every certificate below a CA
 * to subjects under `O=<organization>` (a directoryName permitted subtree). node-forge reads
 * the extension but cannot write it, so its DER is built here.
 */
function organizationNameConstraint(organization: string): object {
  const { asn1 } = forge;
  const name = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.OID,
          false,
          asn1.oidToDer(forge.pki.oids.organizationName).getBytes(),
        ),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, organization),
      ]),
    ]),
  ]);
  const directoryName = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [name]);
  const subtree = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [directoryName]);
  const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [subtree]);
  return {
    id: '2.5.29.30',
    name: 'nameConstraints',
    critical: true,
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted]),
  };
}

/** The organizations a CA's nameConstraints confine its subjects to (empty: unconstrained). */
function permittedOrganizations(cert: forge.pki.Certificate): string[] {
  const ext = cert.getExtension('nameConstraints') as {
    permittedSubtrees?: Array<{
      type: number;
      attributes?: Array<{ shortName?: string; value?: unknown }>;
    }>;
  } | null;
  return (ext?.permittedSubtrees ?? []).flatMap((tree) =>
    tree.type === 4 &&
    tree.attributes?.length === 1 &&
    tree.attributes[0].shortName === 'O' &&
    typeof tree.attributes[0].value === 'string'
      ? [tree.attributes[0].value]
      : [],
  );
}

export interface IntermediateRequest {
  commonName: string;
  validityDays: number;
  /** Every certificate the new CA signs must have a subject under `O=<organization>`. */
  permittedOrganization: string;
}

/**
 * A certificate authority that signs server and client certificates. The CA key stays inside
 * this object: callers get certificates and their own keys, never the CA's. A root signs the
 * platform's own certificates and issuing CAs; an issuing CA (an intermediate, possibly
 * confined by name constraints) signs customer credentials.
 */
export class CertificateAuthority {
  private constructor(
    private readonly cert: forge.pki.Certificate,
    private readonly key: forge.pki.rsa.PrivateKey,
  ) {}

  /** Whether this CA is a root (self-signed) rather than an issuing CA below one. */
  get isRoot(): boolean {
    return isSelfSigned(this.cert);
  }

  /** The organizations this CA's subjects are confined to by name constraints (empty: none). */
  get permittedOrganizations(): string[] {
    // Parsed from the encoded certificate: node-forge reads the extension only when decoding.
    return permittedOrganizations(forge.pki.certificateFromPem(this.certPem));
  }

  /**
   * A new issuing CA signed by this one, that may sign only subjects under
   * `O=<permittedOrganization>` (enforced by every verifier of the chain, the broker included)
   * and only leaf certificates (pathLenConstraint 0).
   */
  issueIntermediate(req: IntermediateRequest): CertificateAuthority {
    // A CA's own name is shown to people, never mapped to a principal: words are fine.
    checkRdnValue('organization', req.permittedOrganization);
    const keys = forge.pki.rsa.generateKeyPair({ bits: KEY_BITS, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = randomSerial();
    setValidityDays(cert, req.validityDays);
    cert.setSubject([{ name: 'commonName', value: req.commonName }]);
    cert.setIssuer(this.cert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      organizationNameConstraint(req.permittedOrganization),
    ]);
    cert.sign(this.key, forge.md.sha256.create());
    return new CertificateAuthority(cert, keys.privateKey);
  }

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
      // One level of issuing CAs below the root (the customer CA), and no deeper.
      { name: 'basicConstraints', cA: true, pathLenConstraint: 1, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    return new CertificateAuthority(cert, keys.privateKey);
  }

  /** Whether this CA may sign an issuing CA below it (a root made before they existed may not). */
  get canSignIssuingCa(): boolean {
    const basic = this.cert.getExtension('basicConstraints') as {
      pathLenConstraint?: number;
    } | null;
    return basic?.pathLenConstraint === undefined || basic.pathLenConstraint >= 1;
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
    checkRdnValue('common name', req.commonName);
    if (req.organization !== undefined) checkRdnValue('organization', req.organization);
    if (req.organizationalUnit !== undefined) {
      checkRdnValue('organizational unit', req.organizationalUnit);
    }
    const confinedTo = this.permittedOrganizations;
    if (confinedTo.length > 0 && !confinedTo.includes(req.organization ?? '')) {
      // The broker would refuse it anyway (name constraints); say so here instead.
      throw new Error(
        `this CA signs only subjects under O=${confinedTo.join(' or O=')}, not O=${req.organization ?? '(none)'}`,
      );
    }
    const keys = forge.pki.rsa.generateKeyPair({ bits: KEY_BITS, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = randomSerial();
    if ('validityDays' in req) setValidityDays(cert, req.validityDays);
    else setValidityWindow(cert, req);
    cert.setSubject([
      ...(req.organization === undefined
        ? []
        : [{ name: 'organizationName', value: req.organization }]),
      ...(req.organizationalUnit === undefined
        ? []
        : [{ name: 'organizationalUnitName', value: req.organizationalUnit }]),
      { name: 'commonName', value: req.commonName },
    ]);
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
      chainPems: this.isRoot ? [] : [this.certPem],
      keyPem: privateKeyToPkcs8Pem(keys.privateKey),
      serial: cert.serialNumber,
      fingerprintSha256: sha256Fingerprint(cert),
      notBefore: cert.validity.notBefore,
      notAfter: cert.validity.notAfter,
    };
  }
}
