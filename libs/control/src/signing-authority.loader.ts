import {
  type CaFiles,
  type CertificateAuthority,
  type KeyPairPem,
  loadCaFiles,
} from '@logstream/pki';
import { CUSTOMER_SUBJECT_ORGANIZATION } from '@logstream/tenancy';

export type SigningAuthorityFiles = CaFiles;

export interface SigningAuthority {
  authority: CertificateAuthority;
  /** The same CA as PEM, for the worker threads that sign credentials. */
  ca: KeyPairPem;
  brokerCaPem: string;
}

/**
 * Loads the CA that signs customer certificates, at start: a missing or wrong file, or a key
 * that is not the certificate's (every credential would then fail at the broker), stops the
 * API with every problem named, instead of failing the first credential request.
 */
export async function loadSigningAuthority(
  files: SigningAuthorityFiles,
): Promise<SigningAuthority> {
  const loaded = await loadCaFiles(
    files,
    { cert: 'LOGSTREAM_CA_CERT_FILE', key: 'LOGSTREAM_CA_KEY_FILE' },
    customerCaProblem,
  );
  if ('ca' in loaded) {
    const { authority, certPem, keyPem, brokerCaPem } = loaded.ca;
    return { authority, ca: { certPem, keyPem }, brokerCaPem };
  }
  const { problems } = loaded;
  throw new Error(`cannot load the credentials CA:\n  - ${problems.join('\n  - ')}`);
}

/**
 * The API may hold only a CA that cannot mint platform identities: an issuing CA below the
 * root, name-constrained to the customers' organization (the broker enforces the constraint).
 */
function customerCaProblem(authority: CertificateAuthority): string | undefined {
  if (authority.isRoot) {
    return 'is a root CA; the API must be given the customer-issuing CA (see docs/pki.md), never the platform root';
  }
  const organizations = authority.permittedOrganizations;
  if (organizations.length !== 1 || organizations[0] !== CUSTOMER_SUBJECT_ORGANIZATION) {
    return `is not confined to O=${CUSTOMER_SUBJECT_ORGANIZATION} by name constraints (see docs/pki.md)`;
  }
  return undefined;
}
