export interface KeyPairPem {
  /** PEM certificate. */
  certPem: string;
  /** PKCS#8 PEM private key ("BEGIN PRIVATE KEY"), the only form Kafka's PEM keystore loads. */
  keyPem: string;
}

export interface IssuedCertificate extends KeyPairPem {
  commonName: string;
  /**
   * The issuing CA's certificate and any CA between it and the root, nearest first; empty when
   * a root signed it. A client sends these after its own certificate so the broker can build
   * the path to the root it trusts (and check the issuing CA's name constraints).
   */
  chainPems: string[];
  /** Hex serial number. */
  serial: string;
  /** SHA-256 of the DER certificate, colon-separated uppercase hex (as openssl prints it). */
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
}

export type CertificateUsage = 'server' | 'client';

interface IssueSubject {
  commonName: string;
  /**
   * More RDNs of the subject, in this order before the CN (O=..,OU=..,CN=.. in the certificate;
   * the broker reads it as `CN=..,OU=..,O=..`). Customer credentials carry them.
   */
  organization?: string;
  organizationalUnit?: string;
  usage: CertificateUsage;
  /** Subject alternative names for server certificates. */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** Valid from now (backdated a few minutes for clock skew) for this many days. */
export interface ValidityDays {
  validityDays: number;
}

/**
 * An explicit validity window. For tests that need a certificate the broker must refuse, such
 * as one that has already expired; platform code issues by {@link ValidityDays}.
 */
export interface ValidityWindow {
  notBefore: Date;
  notAfter: Date;
}

export type IssueRequest = IssueSubject & (ValidityDays | ValidityWindow);
