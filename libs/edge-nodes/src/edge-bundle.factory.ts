import * as path from 'node:path';

/**
 * The variables of the edge producer (`LOGSTREAM_EDGE_*`, see libs/edge's EDGE_OPTIONS) that a
 * node's edge.env sets. Named here rather than imported so this CLI never loads the edge's
 * native Kafka client; the spec checks they are the edge producer's own names.
 */
export const EDGE_ENV_NAMES = {
  brokers: 'LOGSTREAM_EDGE_BROKERS',
  caFile: 'LOGSTREAM_EDGE_CA_FILE',
  certFile: 'LOGSTREAM_EDGE_CERT_FILE',
  keyFile: 'LOGSTREAM_EDGE_KEY_FILE',
  nodeId: 'LOGSTREAM_EDGE_NODE_ID',
} as const;

/** The files of a node bundle, as named in the bundle and on the node. */
export const EDGE_BUNDLE_FILES = {
  cert: 'client.pem',
  key: 'client.key',
  ca: 'ca.pem',
  env: 'edge.env',
} as const;

export interface EdgeBundleInput {
  name: string;
  principal: string;
  serial: string;
  fingerprintSha256: string;
  notAfter: Date;
  /** The certificate followed by any CA between its issuer and the root. */
  certChainPem: string;
  keyPem: string;
  brokerCaPem: string;
  brokers: readonly string[];
  /** Where the files will be on the node (edge.env names them there). */
  installDir: string;
}

export interface BundleFile {
  name: string;
  content: string;
  mode: number;
}

/** edge.env: the systemd unit's EnvironmentFile (KEY=value lines, `#` comments). */
export function edgeEnvFile(input: EdgeBundleInput): string {
  const at = (file: string) => path.posix.join(input.installDir, file);
  return [
    `# Logstream edge node "${input.name}" (Kafka principal ${input.principal}).`,
    `# Certificate serial ${input.serial}, SHA-256 ${input.fingerprintSha256},`,
    `# valid until ${input.notAfter.toISOString()}. Install this folder's files in ${input.installDir}/.`,
    `${EDGE_ENV_NAMES.brokers}=${input.brokers.join(',')}`,
    `${EDGE_ENV_NAMES.caFile}=${at(EDGE_BUNDLE_FILES.ca)}`,
    `${EDGE_ENV_NAMES.certFile}=${at(EDGE_BUNDLE_FILES.cert)}`,
    `${EDGE_ENV_NAMES.keyFile}=${at(EDGE_BUNDLE_FILES.key)}`,
    `${EDGE_ENV_NAMES.nodeId}=${input.name}`,
    '',
  ].join('\n');
}

/** Every file of the bundle; the key alone is private to its owner (0600). */
export function edgeBundleFiles(input: EdgeBundleInput): BundleFile[] {
  return [
    { name: EDGE_BUNDLE_FILES.cert, content: input.certChainPem, mode: 0o644 },
    { name: EDGE_BUNDLE_FILES.key, content: input.keyPem, mode: 0o600 },
    { name: EDGE_BUNDLE_FILES.ca, content: input.brokerCaPem, mode: 0o644 },
    { name: EDGE_BUNDLE_FILES.env, content: edgeEnvFile(input), mode: 0o644 },
  ];
}

/** Parses KEY=value lines as systemd's EnvironmentFile does for these simple values. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq > 0) out[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return out;
}
