import type { ArchiveSettingsRow } from '@logstream/persistence';
import { type ArchiveSettingsInput, FLUSH_LIMITS } from './archive.types';
import {
  DEFAULT_PATH_PREFIX,
  explainInvalidPathPrefix,
  normalisePathPrefix,
} from './object-key.rules';

const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_PATTERN = /^[a-z0-9-]{1,64}$/;
const ACCESS_KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;

export interface SettingsRulesOptions {
  allowHttpEndpoints: boolean;
}

/** Problems with a settings request, each in words; empty when it is usable. */
export function settingsProblems(
  input: ArchiveSettingsInput,
  options: SettingsRulesOptions,
  hasStoredSecret: boolean,
): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(input.endpoint);
  } catch {
    problems.push(`endpoint must be a URL such as https://s3.eu-west-1.amazonaws.com`);
  }
  if (url) {
    const allowed = options.allowHttpEndpoints ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(url.protocol)) {
      problems.push(`endpoint must be an ${allowed.join(' or ')} URL, got ${url.protocol}`);
    }
    if (url.username || url.password) {
      problems.push('endpoint must not carry credentials; use accessKeyId and secretAccessKey');
    }
    if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
      problems.push(
        "endpoint must be the store's base URL without path or query (the bucket is its own field)",
      );
    }
  }
  if (!BUCKET_PATTERN.test(input.bucket) || input.bucket.includes('..')) {
    problems.push(
      'bucket must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit',
    );
  }
  if (input.region !== undefined && !REGION_PATTERN.test(input.region)) {
    problems.push('region must be lowercase letters, digits and hyphens, such as eu-west-1');
  }
  if (input.pathPrefix !== undefined) {
    const why = explainInvalidPathPrefix(input.pathPrefix);
    if (why) problems.push(`pathPrefix: ${why}`);
  }
  if (!ACCESS_KEY_PATTERN.test(input.accessKeyId)) {
    problems.push('accessKeyId must be 1-256 printable ASCII characters without spaces');
  }
  if (input.secretAccessKey === undefined) {
    if (!hasStoredSecret)
      problems.push('secretAccessKey is required when the archive is first set');
  } else if (!ACCESS_KEY_PATTERN.test(input.secretAccessKey)) {
    problems.push('secretAccessKey must be 1-256 printable ASCII characters without spaces');
  }
  for (const [name, limits] of Object.entries(FLUSH_LIMITS)) {
    const value = input.flush?.[name as keyof typeof FLUSH_LIMITS];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
      problems.push(`flush.${name} must be a whole number from ${limits.min} to ${limits.max}`);
    }
  }
  return problems;
}

/** The row fields for valid input (secret already sealed). */
export function settingsRow(
  input: ArchiveSettingsInput,
  secretCiphertext: string,
): ArchiveSettingsRow {
  return {
    endpoint: new URL(input.endpoint).origin,
    bucket: input.bucket,
    region: input.region ?? 'us-east-1',
    pathPrefix: normalisePathPrefix(input.pathPrefix ?? DEFAULT_PATH_PREFIX),
    hivePartitioning: input.hivePartitioning ?? false,
    accessKeyId: input.accessKeyId,
    secretCiphertext,
    compression: input.compression ?? 'gzip',
    flushIntervalS: input.flush?.intervalSeconds ?? FLUSH_LIMITS.intervalSeconds.default,
    flushBytes: input.flush?.maxBytes ?? FLUSH_LIMITS.maxBytes.default,
    flushLines: input.flush?.maxLines ?? FLUSH_LIMITS.maxLines.default,
  };
}

/** A new destination must be proved again; new credentials or limits for the same one need not. */
export function needsReverification(
  before: Pick<ArchiveSettingsRow, 'endpoint' | 'bucket' | 'pathPrefix'>,
  after: Pick<ArchiveSettingsRow, 'endpoint' | 'bucket' | 'pathPrefix'>,
): boolean {
  return (
    before.endpoint !== after.endpoint ||
    before.bucket !== after.bucket ||
    before.pathPrefix !== after.pathPrefix
  );
}
