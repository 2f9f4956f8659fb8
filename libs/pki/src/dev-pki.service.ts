import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CUSTOMER_SUBJECT_ORGANIZATION } from '@logstream/tenancy';
import { CertificateAuthority } from './certificate-authority.service';
import type { IssuedCertificate } from './pki.types';

/** The platform's own principals (certificate CNs); the broker maps CN to `User:<CN>`. */
export const PLATFORM_PRINCIPALS = {
  provisioner: 'logstream-provisioner',
  edge: 'logstream-edge',
} as const;

export interface DevPkiFiles {
  /** The platform root: the broker trusts it; it signs the broker, platform identities and the customer CA. */
  caCert: string;
  caKey: string;
  /**
   * The customer-issuing CA (an intermediate below the root, name-constrained to O=customers):
   * the only CA key the control API holds.
   */
  customerCaCert: string;
  customerCaKey: string;
  /** Broker keystore: PKCS#8 key followed by the certificate, as Kafka's PEM keystore wants. */
  brokerKeystore: string;
}

export function devPkiFiles(dir: string): DevPkiFiles {
  return {
    caCert: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca.key'),
    customerCaCert: path.join(dir, 'customer-ca.pem'),
    customerCaKey: path.join(dir, 'customer-ca.key'),
    brokerKeystore: path.join(dir, 'broker.pem'),
  };
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

async function writeSecret(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Writes `<name>.pem` and `<name>.key` for a platform client certificate. */
export async function writeClientPair(
  dir: string,
  name: string,
  cert: IssuedCertificate,
): Promise<void> {
  await writeFile(path.join(dir, `${name}.pem`), cert.certPem);
  await writeSecret(path.join(dir, `${name}.key`), cert.keyPem);
}

/**
 * Makes the development PKI under `dir` if it is not there yet: a root CA, the customer-issuing
 * CA below it (see {@link DevPkiFiles}), the broker's certificate
 * (SAN DNS:localhost and IP:127.0.0.1: librdkafka checks host names and ignores IP SANs) and
 * client certificates for the platform's own principals. Existing files are kept, so the broker
 * and issued credentials stay valid across runs.
 */
export async function ensureDevPki(
  dir: string,
): Promise<{ ca: CertificateAuthority; created: string[] }> {
  await mkdir(dir, { recursive: true });
  const files = devPkiFiles(dir);
  const created: string[] = [];
  let ca: CertificateAuthority | undefined;
  if (await exists(files.caKey)) {
    ca = CertificateAuthority.fromPem({
      certPem: await readFile(files.caCert, 'utf8'),
      keyPem: await readFile(files.caKey, 'utf8'),
    });
    if (!ca.canSignIssuingCa) {
      // A root made before the customer-issuing CA existed cannot sign one: the development
      // PKI is made again (a running broker must be restarted to load the new files).
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      ca = undefined;
    }
  }
  if (ca === undefined) {
    ca = CertificateAuthority.generate('Logstream Development CA');
    await writeFile(files.caCert, ca.certPem);
    await writeSecret(files.caKey, ca.exportKeyPem());
    created.push(files.caCert);
  }
  if (!(await exists(files.customerCaKey))) {
    const customerCa = ca.issueIntermediate({
      commonName: 'Logstream Development Customer CA',
      validityDays: 3650,
      permittedOrganization: CUSTOMER_SUBJECT_ORGANIZATION,
    });
    await writeFile(files.customerCaCert, customerCa.certPem);
    await writeSecret(files.customerCaKey, customerCa.exportKeyPem());
    created.push(files.customerCaCert);
  }
  if (!(await exists(files.brokerKeystore))) {
    const broker = ca.issue({
      commonName: 'localhost',
      usage: 'server',
      validityDays: 825,
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    await writeSecret(files.brokerKeystore, broker.keyPem + broker.certPem);
    created.push(files.brokerKeystore);
  }
  for (const [name, principal] of Object.entries(PLATFORM_PRINCIPALS)) {
    if (await exists(path.join(dir, `${name}.key`))) continue;
    await writeClientPair(
      dir,
      name,
      ca.issue({ commonName: principal, usage: 'client', validityDays: 825 }),
    );
    created.push(path.join(dir, `${name}.pem`));
  }
  return { ca, created };
}
