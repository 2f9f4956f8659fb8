import { readFile } from 'node:fs/promises';
import { CertificateAuthority, keyMatchesCertificate } from '@logstream/pki';
import { EdgeNodeRefusedError } from './edge-node.errors';

export interface PlatformAuthorityFiles {
  caCertFile: string;
  caKeyFile: string;
  brokerCaFile: string;
}

export interface PlatformAuthority {
  ca: CertificateAuthority;
  /** What nodes trust to verify the broker (the bundle's ca.pem). */
  brokerCaPem: string;
}

async function read(file: string, what: string, problems: string[]): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    problems.push(
      `cannot read the ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return '';
  }
}

/**
 * Loads the CA that signs edge nodes, refusing one whose certificates the broker would not
 * map to an edge principal: a name-constrained CA (the customer-issuing CA can sign only
 * subjects under its O=, and a bare CN fails the broker's path validation), or a key that is
 * not the certificate's.
 */
export async function loadPlatformAuthority(
  files: PlatformAuthorityFiles,
): Promise<PlatformAuthority> {
  const problems: string[] = [];
  const certPem = await read(
    files.caCertFile,
    'CA certificate (LOGSTREAM_PLATFORM_CA_CERT_FILE)',
    problems,
  );
  const keyPem = await read(files.caKeyFile, 'CA key (LOGSTREAM_PLATFORM_CA_KEY_FILE)', problems);
  const brokerCaPem = await read(
    files.brokerCaFile,
    'broker CA certificate (LOGSTREAM_BROKER_CA_FILE)',
    problems,
  );
  if (problems.length === 0) {
    try {
      const ca = CertificateAuthority.fromPem({ certPem, keyPem });
      if (!keyMatchesCertificate(certPem, keyPem)) {
        problems.push(`the CA key ${files.caKeyFile} does not belong to ${files.caCertFile}`);
      } else if (ca.permittedOrganizations.length > 0) {
        problems.push(
          `${files.caCertFile} is confined to O=${ca.permittedOrganizations.join(', O=')} by name constraints, so the broker would refuse the edge certificates it signs; give the platform root (see docs/pki.md)`,
        );
      } else {
        return { ca, brokerCaPem };
      }
    } catch (err) {
      problems.push(
        `cannot use ${files.caCertFile} and ${files.caKeyFile} as a CA: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  throw new EdgeNodeRefusedError(
    'bad_ca',
    `cannot load the platform CA:\n  - ${problems.join('\n  - ')}`,
  );
}
