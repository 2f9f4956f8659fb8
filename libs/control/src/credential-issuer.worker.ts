/**
 * Entry of a credential worker thread: makes the RSA key, signs the certificate and builds the
 * bundle files (the PKCS#12 among them), all CPU-bound work that must not run on the API's
 * event loop. Started by {@link CredentialWorkers}; answers one message per job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { credentialBundleFiles } from '@logstream/bundle';
import { CertificateAuthority, randomKeystorePassword } from '@logstream/pki';
import type { CustomerId } from '@logstream/tenancy';
import type {
  CredentialJobMessage,
  CredentialResultMessage,
  CredentialWorkerData,
  MadeCredential,
} from './credential-issuing.types';

const data = workerData as CredentialWorkerData;
const authority = CertificateAuthority.fromPem(data.ca);

function make(job: CredentialJobMessage['job']): MadeCredential {
  const certificate = authority.issue({
    commonName: job.commonName,
    usage: 'client',
    validityDays: job.validityDays,
  });
  const files = credentialBundleFiles(
    {
      customerId: job.customerId as CustomerId,
      credentialId: job.credentialId,
      bootstrapServers: data.bootstrapServers,
      caCertPem: data.brokerCaPem,
      certificate,
    },
    randomKeystorePassword(),
  );
  const { commonName, serial, fingerprintSha256, notBefore, notAfter } = certificate;
  return { certificate: { commonName, serial, fingerprintSha256, notBefore, notAfter }, files };
}

parentPort?.on('message', ({ jobId, job }: CredentialJobMessage) => {
  let answer: CredentialResultMessage;
  try {
    answer = { jobId, ok: true, made: make(job) };
  } catch (err) {
    answer = { jobId, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(answer);
});
