import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  consumerGroupPrefix,
  credentialPrincipal,
  customerTopic,
  explainInvalidCustomerId,
} from '@logstream/tenancy';
import { InvalidBundleInputError } from './bundle.errors';
import type { BundleValues, CredentialBundleInput, ExampleTool } from './bundle.types';

/** Every file of a bundle, relative to its root folder, in the order they are zipped. */
export const BUNDLE_FILE_PATHS = [
  'README.md',
  'ca.pem',
  'client.pem',
  'client.key',
  'client.p12',
  'client.properties',
  'examples/kcat.sh',
  'examples/consumer.py',
  'examples/consumer.mjs',
  'examples/filebeat.yml',
  'examples/logstash.conf',
] as const;

/**
 * Filebeat and Logstash resolve relative paths against their own folders, not the config
 * file's, so their examples read the unzipped folder's absolute path from this variable.
 */
export const BUNDLE_DIR_VARIABLE = 'LOGSTREAM_BUNDLE_DIR';

/** host:port, host being a DNS name, an IPv4 address or a bracketed IPv6 address. */
const BOOTSTRAP_SERVER =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

function bootstrapProblems(servers: readonly string[]): string[] {
  if (servers.length === 0) return ['at least one bootstrap server is needed'];
  return servers.flatMap((server) => {
    const port = BOOTSTRAP_SERVER.exec(server)?.[1];
    return port !== undefined && Number(port) >= 1 && Number(port) <= 65535
      ? []
      : [`bootstrap server "${server}" is not host:port`];
  });
}

function certificateProblems(
  input: CredentialBundleInput,
  expectedCn: string | undefined,
): string[] {
  const { certificate: cert, caCertPem } = input;
  // The bundle carries certificates only; a private key in these fields would be a platform secret.
  if (/PRIVATE KEY/.test(caCertPem) || /PRIVATE KEY/.test(cert.certPem)) {
    return ['a private key was given where a certificate belongs; refusing to ship it'];
  }
  if (!/^-----BEGIN PRIVATE KEY-----\n/.test(cert.keyPem)) {
    return ['the credential key must be PKCS#8 PEM ("BEGIN PRIVATE KEY")'];
  }
  let x509: X509Certificate;
  let ca: X509Certificate;
  try {
    x509 = new X509Certificate(cert.certPem);
    ca = new X509Certificate(caCertPem);
  } catch (err) {
    return [`unreadable certificate: ${err instanceof Error ? err.message : String(err)}`];
  }
  const problems: string[] = [];
  if (!ca.ca) problems.push('the CA certificate is not a CA');
  if (!x509.checkIssued(ca) || !x509.verify(ca.publicKey)) {
    problems.push('the credential certificate was not signed by the given CA');
  }
  // Another customer's (or credential's) certificate must never end up in this bundle.
  if (
    expectedCn !== undefined &&
    (x509.subject !== `CN=${expectedCn}` || cert.commonName !== expectedCn)
  ) {
    problems.push(
      `the certificate is for "${x509.subject}", not "CN=${expectedCn}" (this customer and credential)`,
    );
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(cert.keyPem))) {
      problems.push('the private key does not belong to the certificate');
    }
  } catch {
    problems.push('the private key is unreadable');
  }
  if (new Date(x509.validTo).getTime() <= Date.now()) {
    problems.push(`the certificate expired on ${new Date(x509.validTo).toISOString()}`);
  }
  return problems;
}

/**
 * Checks everything the bundle's files will be filled in with. Values land in shell, Python,
 * JavaScript, YAML, .properties and Logstash files, so only plain names pass; the certificate
 * must be this credential's (its CN the credential's principal), signed by the CA, with its key.
 */
export function validateBundleInput(input: CredentialBundleInput): void {
  const problems: string[] = [];
  const idProblem = explainInvalidCustomerId(input.customerId);
  if (idProblem !== undefined) problems.push(`invalid customer id: ${idProblem}`);
  let expectedCn: string | undefined;
  if (idProblem === undefined) {
    try {
      expectedCn = credentialPrincipal(input.customerId, input.credentialId);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  problems.push(...bootstrapProblems(input.bootstrapServers));
  problems.push(...certificateProblems(input, expectedCn));
  if (problems.length > 0) throw new InvalidBundleInputError(problems);
}

/** The values every file is filled in with; call {@link validateBundleInput} first. */
export function bundleValues(input: CredentialBundleInput, p12Password: string): BundleValues {
  return {
    customerId: input.customerId,
    credentialId: input.credentialId,
    principal: input.certificate.commonName,
    topic: customerTopic(input.customerId),
    groupPrefix: consumerGroupPrefix(input.customerId),
    bootstrap: input.bootstrapServers.join(','),
    bootstrapServers: input.bootstrapServers,
    certificateExpiry: input.certificate.notAfter.toISOString(),
    fingerprintSha256: input.certificate.fingerprintSha256,
    p12Password,
  };
}

/** The consumer group an example uses unless told otherwise: `<customerId>.<tool>`. */
export function exampleGroupId(
  values: Pick<BundleValues, 'groupPrefix'>,
  tool: ExampleTool,
): string {
  return `${values.groupPrefix}${tool}`;
}
