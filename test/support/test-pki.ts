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

/** The development CA that the broker trusts (made by `npm run setup`). */
export async function loadDevCa(): Promise<{ ca: CertificateAuthority; caFile: string }> {
  const files = devPkiFiles(loadPathsConfig().pkiDir);
  const ca = CertificateAuthority.fromPem({
    certPem: await readFile(files.caCert, 'utf8'),
    keyPem: await readFile(files.caKey, 'utf8'),
  });
  return { ca, caFile: files.caCert };
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
): Promise<ClientFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), `logstream-${principal}-`));
  tempDirs.push(dir);
  const issued = ca.issue({ commonName: principal, usage: 'client', ...validity });
  const files = {
    principal,
    dir,
    caFile: brokerCaFile,
    certFile: path.join(dir, 'client.pem'),
    keyFile: path.join(dir, 'client.key'),
  };
  await writeFile(files.certFile, issued.certPem);
  await writeFile(files.keyFile, issued.keyPem, { mode: 0o600 });
  return files;
}
