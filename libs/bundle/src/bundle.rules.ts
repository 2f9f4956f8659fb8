import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  consumerGroupPrefix,
  credentialPrincipal,
  credentialSubject,
  customerStatsTopic,
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

/** The subject as node prints it (one RDN a line, in certificate order). */
function expectedSubject(input: CredentialBundleInput): string | undefined {
  try {
    const s = credentialSubject(input.customerId, input.credentialId);
    return `O=${s.organization}\nOU=${s.organizationalUnit}\nCN=${s.commonName}`;
  } catch {
    return undefined;
  }
}

function certificateProblems(input: CredentialBundleInput, expected: string | undefined): string[] {
  const { certificate: cert, caCertPem } = input;
  // The bundle carries certificates only; a private key in these fields would be a platform secret.
  if ([caCertPem, cert.certPem, ...cert.chainPems].some((pem) => /PRIVATE KEY/.test(pem))) {
    return ['a private key was given where a certificate belongs; refusing to ship it'];
  }
  if (!/^-----BEGIN PRIVATE KEY-----\n/.test(cert.keyPem)) {
    return ['the credential key must be PKCS#8 PEM ("BEGIN PRIVATE KEY")'];
  }
  let x509: X509Certificate;
  let ca: X509Certificate;
  let chain: X509Certificate[];
  try {
    x509 = new X509Certificate(cert.certPem);
    ca = new X509Certificate(caCertPem);
    chain = cert.chainPems.map((pem) => new X509Certificate(pem));
  } catch (err) {
    return [`unreadable certificate: ${err instanceof Error ? err.message : String(err)}`];
  }
  const problems: string[] = [];
  if (!ca.ca || chain.some((c) => !c.ca)) problems.push('the CA certificate is not a CA');
  // Certificate, then each issuing CA, up to the root the client is given.
  const path = [x509, ...chain, ca];
  for (let i = 0; i + 1 < path.length; i++) {
    if (!path[i].checkIssued(path[i + 1]) || !path[i].verify(path[i + 1].publicKey)) {
      problems.push('the credential certificate was not signed by the given CA');
      break;
    }
  }
  // Another customer's (or credential's) certificate must never end up in this bundle.
  if (expected !== undefined && x509.subject !== expected) {
    problems.push(
      `the certificate is for "${x509.subject.replace(/\n/g, ',')}", not "${expected.replace(/\n/g, ',')}" (this customer and credential)`,
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
 * must be this credential's (its subject the credential's), signed by the CA, with its key.
 */
export function validateBundleInput(input: CredentialBundleInput): void {
  const problems: string[] = [];
  const idProblem = explainInvalidCustomerId(input.customerId);
  if (idProblem !== undefined) problems.push(`invalid customer id: ${idProblem}`);
  let expected: string | undefined;
  if (idProblem === undefined) {
    try {
      credentialPrincipal(input.customerId, input.credentialId);
      expected = expectedSubject(input);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  problems.push(...bootstrapProblems(input.bootstrapServers));
  problems.push(...certificateProblems(input, expected));
  if (problems.length > 0) throw new InvalidBundleInputError(problems);
}

/** The values every file is filled in with; call {@link validateBundleInput} first. */
export function bundleValues(input: CredentialBundleInput, p12Password: string): BundleValues {
  return {
    customerId: input.customerId,
    credentialId: input.credentialId,
    principal: credentialPrincipal(input.customerId, input.credentialId),
    topic: customerTopic(input.customerId),
    statsTopic: customerStatsTopic(input.customerId),
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
