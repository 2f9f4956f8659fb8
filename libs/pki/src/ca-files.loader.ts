import { readFile } from 'node:fs/promises';
import { CertificateAuthority } from './certificate-authority.service';
import { keyMatchesCertificate } from './key-pair.rules';

export interface CaFiles {
  caCertFile: string;
  caKeyFile: string;
  brokerCaFile: string;
}

/** The variables the CA's certificate and key came from, named in messages so one can fix them. */
export interface CaFileVariables {
  cert: string;
  key: string;
}

export interface LoadedCa {
  authority: CertificateAuthority;
  certPem: string;
  keyPem: string;
  /** What clients trust to verify the broker. */
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
 * Reads a signing CA and the broker's CA at start. Every unreadable file, a CA that does not
 * parse, a key that is not the certificate's (what it signed would not verify) and what
 * `policy` says against this CA are collected, so a start fails once with everything named.
 */
export async function loadCaFiles(
  files: CaFiles,
  vars: CaFileVariables,
  policy: (authority: CertificateAuthority) => string | undefined,
): Promise<{ ca: LoadedCa } | { problems: string[] }> {
  const problems: string[] = [];
  const certPem = await read(files.caCertFile, `CA certificate (${vars.cert})`, problems);
  const keyPem = await read(files.caKeyFile, `CA key (${vars.key})`, problems);
  const brokerCaPem = await read(
    files.brokerCaFile,
    'broker CA certificate (LOGSTREAM_BROKER_CA_FILE)',
    problems,
  );
  if (problems.length > 0) return { problems };
  try {
    const authority = CertificateAuthority.fromPem({ certPem, keyPem });
    if (!keyMatchesCertificate(certPem, keyPem)) {
      return {
        problems: [
          `the CA key ${files.caKeyFile} does not belong to the CA certificate ${files.caCertFile}: certificates it signed would not verify`,
        ],
      };
    }
    const problem = policy(authority);
    if (problem !== undefined) return { problems: [`${files.caCertFile} ${problem}`] };
    return { ca: { authority, certPem, keyPem, brokerCaPem } };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      problems: [`cannot use ${files.caCertFile} and ${files.caKeyFile} as the CA: ${reason}`],
    };
  }
}
