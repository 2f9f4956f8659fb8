import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadPathsConfig } from '@logstream/config';
import {
  CertificateAuthority,
  devPkiFiles,
  type ValidityDays,
  type ValidityWindow,
} from '@logstream/pki';

export interface ClientFiles {
  principal: string;
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Folders of issued test certificates; removed when the test process ends. */
const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The development root CA that the broker trusts (made by `npm run setup`). */
export async function loadDevCa(): Promise<{ ca: CertificateAuthority; caFile: string }> {
  const files = devPkiFiles(loadPathsConfig().pkiDir);
  const ca = CertificateAuthority.fromPem({
    certPem: await readFile(files.caCert, 'utf8'),
    keyPem: await readFile(files.caKey, 'utf8'),
  });
  return { ca, caFile: files.caCert };
}

/**
 * The development customer-issuing CA: the one the control API holds. `caFile` is the root
 * the broker's certificate chains to (what clients trust).
 */
export async function loadCustomerCa(): Promise<{ ca: CertificateAuthority; caFile: string }> {
  const files = devPkiFiles(loadPathsConfig().pkiDir);
  const ca = CertificateAuthority.fromPem({
    certPem: await readFile(files.customerCaCert, 'utf8'),
    keyPem: await readFile(files.customerCaKey, 'utf8'),
  });
  return { ca, caFile: files.caCert };
}

/** A certificate subject: one CN, or more RDNs (customer credentials: O, OU, CN). */
export interface TestSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
}

/**
 * Issues a client certificate for `principal` (valid for a day unless told otherwise) and
 * writes it, with the broker's CA, to a temp folder.
 */
export async function writeClientCertificate(
  ca: CertificateAuthority,
  brokerCaFile: string,
  principal: string,
  validity: ValidityDays | ValidityWindow = { validityDays: 1 },
  subject: TestSubject = { commonName: principal },
): Promise<ClientFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), `logstream-${principal.slice(0, 60)}-`));
  tempDirs.push(dir);
  const issued = ca.issue({ ...subject, usage: 'client', ...validity });
  const files = {
    principal,
    dir,
    caFile: brokerCaFile,
    certFile: path.join(dir, 'client.pem'),
    keyFile: path.join(dir, 'client.key'),
  };
  // The issuing CA's certificate follows, as in a customer's bundle.
  await writeFile(files.certFile, [issued.certPem, ...issued.chainPems].join(''));
  await writeFile(files.keyFile, issued.keyPem, { mode: 0o600 });
  return files;
}
