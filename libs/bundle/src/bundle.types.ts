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

/** One file of the bundle, its path relative to the bundle's root folder. */
export interface BundleFile {
  path: string;
  content: string | Buffer;
  /** Unix permissions, restored by `unzip`. */
  mode: number;
}

/** The values every file of one bundle is filled in with, derived once from the input. */
export interface BundleValues {
  customerId: CustomerId;
  credentialId: string;
  /** The certificate's CN; the broker knows the credential as `User:<principal>`. */
  principal: string;
  topic: string;
  /** The compacted topic of the customer's traffic statistics (examples/consumer.py --stats). */
  statsTopic: string;
  groupPrefix: string;
  /** Comma-separated, as every client here takes it. */
  bootstrap: string;
  bootstrapServers: readonly string[];
  /** ISO 8601, UTC. */
  certificateExpiry: string;
  fingerprintSha256: string;
  /** The password of client.p12 (and of nothing else). */
  p12Password: string;
}

/** The runnable examples, each with its own default consumer group under the customer's prefix. */
export type ExampleTool = 'kcat' | 'python' | 'node' | 'java' | 'filebeat' | 'logstash';
