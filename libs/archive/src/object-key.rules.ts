/**
 * Archive object keys. A key derives only from the chunk's first offset and its first and last
 * lines' Kafka timestamps, so uploading the same chunk again writes the same key.
 *
 *   <prefix with {DATE}>/<firstTime>_<lastTime>_p<partition>-o<firstOffset>.log.gz|.zst
 *
 * `{DATE}` is the first line's UTC day, `YYYYMMDD`, or `dt=YYYY-MM-DD` with Hive-style
 * partitioning; a prefix without `{DATE}` gets `/{DATE}` appended.
 */

export const DATE_PLACEHOLDER = '{DATE}';
export const DEFAULT_PATH_PREFIX = `logs/${DATE_PLACEHOLDER}`;
export const PATH_PREFIX_MAX_LENGTH = 400;

/** Characters S3 documents as safe in keys, plus `=` (Hive) and the placeholder's braces. */
const PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()=\-/{}]+$/;

export type Compression = 'gzip' | 'zstd';

export interface ObjectKeyInput {
  pathPrefix: string;
  hivePartitioning: boolean;
  partition: number;
  firstOffset: bigint;
  /** Kafka timestamps (ms) of the chunk's first and last lines. */
  firstTimestampMs: number;
  lastTimestampMs: number;
  compression: Compression;
}

/** Why a path prefix is unusable, in words; undefined when it is fine. */
export function explainInvalidPathPrefix(prefix: string): string | undefined {
  if (prefix.length === 0) return 'it must not be empty';
  if (prefix.length > PATH_PREFIX_MAX_LENGTH) {
    return `it must be at most ${PATH_PREFIX_MAX_LENGTH} characters`;
  }
  if (!PREFIX_PATTERN.test(prefix)) {
    return "only letters, digits, / ! _ . * ' ( ) = - and the {DATE} placeholder are allowed";
  }
  if (prefix.startsWith('/')) return 'it must not start with "/"';
  if (prefix.includes('//')) return 'it must not contain an empty path segment ("//")';
  if (prefix.split('/').some((s) => s === '.' || s === '..')) {
    return 'it must not contain "." or ".." path segments';
  }
  const braces = prefix.replaceAll(DATE_PLACEHOLDER, '');
  if (braces.includes('{') || braces.includes('}')) {
    return 'the only placeholder is {DATE}';
  }
  if (prefix.split(DATE_PLACEHOLDER).length > 2) return '{DATE} may appear once';
  return undefined;
}

/** The prefix as stored: trailing slashes dropped, `{DATE}` present. */
export function normalisePathPrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed.includes(DATE_PLACEHOLDER) ? trimmed : `${trimmed}/${DATE_PLACEHOLDER}`;
}

/** `20261202T061530Z`: sorts like time, no characters that need escaping. */
export function compactTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function dateSegment(ms: number, hive: boolean): string {
  const iso = new Date(ms).toISOString().slice(0, 10);
  return hive ? `dt=${iso}` : iso.replaceAll('-', '');
}

export function objectExtension(compression: Compression): string {
  return compression === 'gzip' ? '.log.gz' : '.log.zst';
}

export function archiveObjectKey(input: ObjectKeyInput): string {
  const prefix = normalisePathPrefix(input.pathPrefix).replace(
    DATE_PLACEHOLDER,
    dateSegment(input.firstTimestampMs, input.hivePartitioning),
  );
  const name =
    `${compactTime(input.firstTimestampMs)}_${compactTime(input.lastTimestampMs)}` +
    `_p${input.partition}-o${input.firstOffset}${objectExtension(input.compression)}`;
  return `${prefix}/${name}`;
}

/** The fixed part of the prefix (before `{DATE}`), where the challenge object goes. */
export function prefixRoot(pathPrefix: string): string {
  const before = normalisePathPrefix(pathPrefix).split(DATE_PLACEHOLDER)[0];
  return before.replace(/\/+$/, '');
}

export function challengeObjectKey(pathPrefix: string): string {
  const root = prefixRoot(pathPrefix);
  return `${root ? `${root}/` : ''}logstream-challenge.txt`;
}
