export interface KeyPairPem {
  /** PEM certificate. */
  certPem: string;
  /** PKCS#8 PEM private key ("BEGIN PRIVATE KEY"), the only form Kafka's PEM keystore loads. */
  keyPem: string;
}

export interface IssuedCertificate extends KeyPairPem {
  commonName: string;
  /** Hex serial number. */
  serial: string;
  /** SHA-256 of the DER certificate, colon-separated uppercase hex (as openssl prints it). */
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
}

export type CertificateUsage = 'server' | 'client';

export interface IssueRequest {
  commonName: string;
  usage: CertificateUsage;
  validityDays: number;
  /** Subject alternative names for server certificates. */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}
