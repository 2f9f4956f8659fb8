import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CertificateAuthority } from './certificate-authority.service';
import type { IssuedCertificate } from './pki.types';

/** The platform's own principals (certificate CNs); the broker maps CN to `User:<CN>`. */
export const PLATFORM_PRINCIPALS = {
  provisioner: 'logstream-provisioner',
  edge: 'logstream-edge',
} as const;

export interface DevPkiFiles {
  caCert: string;
  caKey: string;
  /** Broker keystore: PKCS#8 key followed by the certificate, as Kafka's PEM keystore wants. */
  brokerKeystore: string;
}

export function devPkiFiles(dir: string): DevPkiFiles {
  return {
    caCert: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca.key'),
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
 * Makes the development PKI under `dir` if it is not there yet: a CA, the broker's certificate
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
  let ca: CertificateAuthority;
  if (await exists(files.caKey)) {
    ca = CertificateAuthority.fromPem({
      certPem: await readFile(files.caCert, 'utf8'),
      keyPem: await readFile(files.caKey, 'utf8'),
    });
  } else {
    ca = CertificateAuthority.generate('Logstream Development CA');
    await writeFile(files.caCert, ca.certPem);
    await writeSecret(files.caKey, ca.exportKeyPem());
    created.push(files.caCert);
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
