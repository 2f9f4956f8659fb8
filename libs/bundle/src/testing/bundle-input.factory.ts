import { CertificateAuthority } from '@logstream/pki';
import { credentialPrincipal, parseCustomerId } from '@logstream/tenancy';
import type { CredentialBundleInput } from '../bundle.types';

/** A CA for the bundle's unit tests (generated once per test file: RSA keys are slow). */
export function testCa(): CertificateAuthority {
  return CertificateAuthority.generate('Bundle Test CA', 2);
}

/** A valid bundle input: a fresh credential of `customer`, signed by `ca`. */
export function bundleInput(
  ca: CertificateAuthority,
  customer: string,
  credentialId = 'k1',
  bootstrapServers: readonly string[] = ['kafka1.example.net:9094', 'kafka2.example.net:9094'],
): CredentialBundleInput {
  const customerId = parseCustomerId(customer);
  return {
    customerId,
    credentialId,
    bootstrapServers,
    caCertPem: ca.certPem,
    certificate: ca.issue({
      commonName: credentialPrincipal(customerId, credentialId),
      usage: 'client',
      validityDays: 30,
    }),
  };
}
