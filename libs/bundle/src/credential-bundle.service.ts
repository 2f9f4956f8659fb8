import archiver from 'archiver';
import type { Readable } from 'node:stream';
import { consumerGroupPrefix, customerTopic } from '@logstream/tenancy';
import type { CredentialBundleInput } from './bundle.types';

/** Folder every file of the bundle sits in once unzipped. */
export function bundleRoot(input: Pick<CredentialBundleInput, 'customerId'>): string {
  return `${input.customerId}-logstream`;
}

function readme(input: CredentialBundleInput): string {
  const topic = customerTopic(input.customerId);
  return [
    `# Logstream access logs for ${input.customerId}`,
    '',
    `- Topic: \`${topic}\``,
    `- Bootstrap servers (SSL): \`${input.bootstrapServers.join(',')}\``,
    `- Consumer groups: any group id starting with \`${consumerGroupPrefix(input.customerId)}\``,
    `- Credential: \`${input.credentialId}\`, certificate valid until ${input.certificate.notAfter.toISOString()}`,
    '',
    'Files: `ca.pem` (the CA to trust), `client.pem` (your certificate), `client.key` (its private',
    'key, PKCS#8; keep it secret, it is not stored anywhere else).',
    '',
  ].join('\n');
}

/**
 * Streams the credentials bundle as a zip (archiver; never built whole in memory). The
 * caller pipes the stream to the HTTP response or a file.
 */
export function credentialBundleStream(input: CredentialBundleInput): Readable {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const root = bundleRoot(input);
  const add = (name: string, content: string, mode = 0o644): void => {
    zip.append(content, { name: `${root}/${name}`, mode, date: input.certificate.notBefore });
  };
  add('README.md', readme(input));
  add('ca.pem', input.caCertPem);
  add('client.pem', input.certificate.certPem);
  add('client.key', input.certificate.keyPem, 0o600);
  // Failures surface as the stream's 'error' event, which the consumer of the stream handles.
  zip.finalize().catch(() => undefined);
  return zip;
}
