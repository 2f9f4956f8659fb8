import { type CaFiles, type CertificateAuthority, loadCaFiles } from '@logstream/pki';
import { EdgeNodeRefusedError } from './edge-node.errors';

export type PlatformAuthorityFiles = CaFiles;

export interface PlatformAuthority {
  ca: CertificateAuthority;
  /** What nodes trust to verify the broker (the bundle's ca.pem). */
  brokerCaPem: string;
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
  const loaded = await loadCaFiles(
    files,
    { cert: 'LOGSTREAM_PLATFORM_CA_CERT_FILE', key: 'LOGSTREAM_PLATFORM_CA_KEY_FILE' },
    (ca) =>
      ca.permittedOrganizations.length > 0
        ? `is confined to O=${ca.permittedOrganizations.join(', O=')} by name constraints, so the broker would refuse the edge certificates it signs; give the platform root (see docs/pki.md)`
        : undefined,
  );
  if ('ca' in loaded) return { ca: loaded.ca.authority, brokerCaPem: loaded.ca.brokerCaPem };
  const { problems } = loaded;
  throw new EdgeNodeRefusedError(
    'bad_ca',
    `cannot load the platform CA:\n  - ${problems.join('\n  - ')}`,
  );
}
