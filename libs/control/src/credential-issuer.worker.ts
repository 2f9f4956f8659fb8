/**
 * Entry of a credential worker thread: makes the RSA key, signs the certificate and builds the
 * bundle files (the PKCS#12 among them), all CPU-bound work that must not run on the API's
 * event loop. Started by {@link CredentialWorkers}; answers one message per job.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { credentialBundleFiles } from '@logstream/bundle';
import { CertificateAuthority, randomKeystorePassword } from '@logstream/pki';
import { credentialSubject, type CustomerId } from '@logstream/tenancy';
import type {
  CredentialJobMessage,
  CredentialResultMessage,
  CredentialWorkerData,
  MadeCredential,
} from './credential-issuing.types';

/**
 * Nice value of this thread (Linux keeps one per thread): on a busy machine, request handling on
 * the main thread gets the CPU before key making does.
 */
const WORKER_NICE = 10;

try {
  setPriority(WORKER_NICE);
} catch {
  // Where threads cannot be reniced, the pool still keeps the work off the event loop.
}

const data = workerData as CredentialWorkerData;
const authority = CertificateAuthority.fromPem(data.ca);

function make(job: CredentialJobMessage['job']): MadeCredential {
  // Separate RDNs (O, OU = customer id, CN = credential id): a 63-character id still fits the
  // 64-character limit of each, and the broker's mapping rules build the principal from them.
  const certificate = authority.issue({
    ...credentialSubject(job.customerId as CustomerId, job.credentialId),
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
