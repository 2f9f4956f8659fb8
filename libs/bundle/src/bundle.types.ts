import type { IssuedCertificate } from '@logstream/pki';
import type { CustomerId } from '@logstream/tenancy';

/** Everything one customer's credentials bundle is made of; nothing of any other customer. */
export interface CredentialBundleInput {
  customerId: CustomerId;
  credentialId: string;
  /** The SSL listener's bootstrap servers, as customers reach them. */
  bootstrapServers: readonly string[];
  /** The CA that signed the broker's certificate (what the client must trust). */
  caCertPem: string;
  /** The credential's certificate and its private key (the only copy of the key). */
  certificate: IssuedCertificate;
}
