import type { BundleFile } from '@logstream/bundle';
import type { KeyPairPem } from '@logstream/pki';

/** What a worker thread is started with: the signing CA and what every bundle ships. */
export interface CredentialWorkerData {
  ca: KeyPairPem;
  brokerCaPem: string;
  bootstrapServers: readonly string[];
}

/** One credential to make: its key, certificate and every bundle file. */
export interface CredentialJob {
  customerId: string;
  credentialId: string;
  validityDays: number;
}

/** The certificate's public facts (the key travels inside `files` only). */
export interface MadeCertificate {
  commonName: string;
  serial: string;
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
}

export interface MadeCredential {
  certificate: MadeCertificate;
  files: BundleFile[];
}

export type CredentialJobMessage = { jobId: number; job: CredentialJob };
export type CredentialResultMessage =
  { jobId: number; ok: true; made: MadeCredential } | { jobId: number; ok: false; message: string };
