import { readFile } from 'node:fs/promises';
import { CertificateAuthority, keyMatchesCertificate, type KeyPairPem } from '@logstream/pki';
import { CUSTOMER_SUBJECT_ORGANIZATION } from '@logstream/tenancy';

export interface SigningAuthorityFiles {
  caCertFile: string;
  caKeyFile: string;
  brokerCaFile: string;
}

export interface SigningAuthority {
  authority: CertificateAuthority;
  /** The same CA as PEM, for the worker threads that sign credentials. */
  ca: KeyPairPem;
  brokerCaPem: string;
}

async function read(file: string, what: string, problems: string[]): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    problems.push(`cannot read the ${what} ${file}: ${reason}`);
    return '';
  }
}

/**
 * Loads the CA that signs customer certificates, at start: a missing or wrong file, or a key
 * that is not the certificate's (every credential would then fail at the broker), stops the
 * API with every problem named, instead of failing the first credential request.
 */
export async function loadSigningAuthority(
  files: SigningAuthorityFiles,
): Promise<SigningAuthority> {
  const problems: string[] = [];
  const certPem = await read(files.caCertFile, 'CA certificate (LOGSTREAM_CA_CERT_FILE)', problems);
  const keyPem = await read(files.caKeyFile, 'CA key (LOGSTREAM_CA_KEY_FILE)', problems);
  const brokerCaPem = await read(
    files.brokerCaFile,
    'broker CA certificate (LOGSTREAM_BROKER_CA_FILE)',
    problems,
  );
  if (problems.length === 0) {
    try {
      const authority = CertificateAuthority.fromPem({ certPem, keyPem });
      if (!keyMatchesCertificate(certPem, keyPem)) {
        problems.push(
          `the CA key ${files.caKeyFile} does not belong to the CA certificate ${files.caCertFile}: certificates it signed would not verify`,
        );
      } else {
        const problem = customerCaProblem(authority);
        if (problem === undefined) return { authority, ca: { certPem, keyPem }, brokerCaPem };
        problems.push(`${files.caCertFile}: ${problem}`);
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      problems.push(`cannot use ${files.caCertFile} and ${files.caKeyFile} as the CA: ${reason}`);
    }
  }
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
