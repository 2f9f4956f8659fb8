import { CertificateAuthority } from '@logstream/pki';
import {
  credentialSubject,
  CUSTOMER_SUBJECT_ORGANIZATION,
  parseCustomerId,
} from '@logstream/tenancy';
import type { CredentialBundleInput } from '../bundle.types';

/** A root CA and the customer-issuing CA below it, for the bundle's unit tests. */
export interface TestCa {
  root: CertificateAuthority;
  issuing: CertificateAuthority;
  certPem: string;
}

/** A CA for the bundle's unit tests (generated once per test file: RSA keys are slow). */
export function testCa(): TestCa {
  const root = CertificateAuthority.generate('Bundle Test CA', 2);
  const issuing = root.issueIntermediate({
    commonName: 'Bundle Test Customer CA',
    validityDays: 2,
    permittedOrganization: CUSTOMER_SUBJECT_ORGANIZATION,
  });
  return { root, issuing, certPem: root.certPem };
}

/** A valid bundle input: a fresh credential of `customer`, signed by `ca`'s issuing CA. */
export function bundleInput(
  ca: TestCa,
  customer: string,
  credentialId = 'k1',
  bootstrapServers: readonly string[] = ['kafka1.example.net:9094', 'kafka2.example.net:9094'],
): CredentialBundleInput {
  const customerId = parseCustomerId(customer);
  return {
    customerId,
    credentialId,
    bootstrapServers,
    caCertPem: ca.root.certPem,
    certificate: ca.issuing.issue({
      ...credentialSubject(customerId, credentialId),
      usage: 'client',
      validityDays: 30,
    }),
  };
}
