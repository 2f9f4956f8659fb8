import archiver from 'archiver';
import type { Readable } from 'node:stream';
import { randomKeystorePassword } from '@logstream/pki';
import { credentialBundleFiles } from './bundle-files.factory';
import type { BundleFile, CredentialBundleInput } from './bundle.types';

/** Folder every file of the bundle sits in once unzipped. */
export function bundleRoot(input: Pick<CredentialBundleInput, 'customerId'>): string {
  return `${input.customerId}-logstream`;
}

/**
 * Streams the credentials bundle as a zip (archiver; never built whole in memory). The
 * caller pipes the stream to the HTTP response or a file. The input is checked first, so a
 * bad one throws {@link InvalidBundleInputError} here rather than breaking a response midway.
 * `client.p12` gets a fresh random password, written in the bundle's README only.
 */
export function credentialBundleStream(input: CredentialBundleInput): Readable {
  return bundleZipStream(
    input,
    credentialBundleFiles(input, randomKeystorePassword()),
    input.certificate.notBefore,
  );
}

/**
 * Zips bundle files already made (by {@link credentialBundleFiles}, possibly on another
 * thread) under the bundle's root folder, each dated `date` and with its own mode.
 */
export function bundleZipStream(
  input: Pick<CredentialBundleInput, 'customerId'>,
  files: readonly BundleFile[],
  date: Date,
): Readable {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const root = bundleRoot(input);
  for (const file of files) {
    zip.append(file.content, { name: `${root}/${file.path}`, mode: file.mode, date });
  }
  // Failures surface as the stream's 'error' event, which the consumer of the stream handles.
  zip.finalize().catch(() => undefined);
  return zip;
}
