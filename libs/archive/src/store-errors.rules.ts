/**
 * What went wrong talking to a customer's object store, in words the customer can act on.
 * `permanent` failures (credentials, permissions, bucket) make the archive `failed`: retrying
 * alone will not fix them, though the archiver keeps trying and retries at once after the
 * settings change. Everything else makes it `failing` and is retried with backoff.
 */
export type StoreFailureKind =
  | 'credentials'
  | 'permission'
  | 'bucket'
  | 'full'
  | 'unreachable'
  | 'unavailable'
  | 'timeout'
  | 'unknown';

export interface StoreFailure {
  kind: StoreFailureKind;
  permanent: boolean;
  message: string;
}

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

const CREDENTIAL_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AuthorizationHeaderMalformed',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
]);

function networkCode(err: ErrorShape, depth = 0): string | undefined {
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  if (depth < 3 && typeof err.cause === 'object' && err.cause !== null) {
    return networkCode(err.cause, depth + 1);
  }
  if (Array.isArray((err as { errors?: unknown }).errors)) {
    for (const e of (err as { errors: unknown[] }).errors) {
      if (typeof e === 'object' && e !== null) {
        const code = networkCode(e, depth + 1);
        if (code) return code;
      }
    }
  }
  return undefined;
}

export function classifyStoreError(
  err: unknown,
  where: { endpoint: string; bucket: string },
): StoreFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : 0;
  const said =
    name && name !== 'Error'
      ? ` (the store said ${name}${status ? `, HTTP ${status}` : ''})`
      : status
        ? ` (HTTP ${status})`
        : '';
  if (CREDENTIAL_NAMES.has(name)) {
    return {
      kind: 'credentials',
      permanent: true,
      message: `${where.endpoint} refused the access key: check accessKeyId and secretAccessKey${said}`,
    };
  }
  if (name === 'QuotaExceeded' || name === 'StorageFull' || status === 507) {
    return {
      kind: 'full',
      permanent: false,
      message: `the destination is full or over quota: free space or raise the quota; lines wait in Kafka meanwhile${said}`,
    };
  }
  if (name === 'AccessDenied' || status === 403) {
    return {
      kind: 'permission',
      permanent: true,
      message: `the access key may not write to bucket "${where.bucket}": grant it s3:PutObject on the path prefix${said}`,
    };
  }
  if (name === 'NoSuchBucket') {
    return {
      kind: 'bucket',
      permanent: true,
      message: `bucket "${where.bucket}" does not exist at ${where.endpoint}: create it or correct the bucket name${said}`,
    };
  }
  const code = networkCode(e);
  if (code) {
    return {
      kind: 'unreachable',
      permanent: false,
      message: `cannot reach ${where.endpoint} (${code}); retrying, lines wait in Kafka meanwhile`,
    };
  }
  if (name === 'TimeoutError' || name === 'AbortError' || name === 'RequestTimeout') {
    return {
      kind: 'timeout',
      permanent: false,
      message: `${where.endpoint} did not answer in time; retrying, lines wait in Kafka meanwhile`,
    };
  }
  if (
    status >= 500 ||
    name === 'SlowDown' ||
    name === 'ServiceUnavailable' ||
    name === 'InternalError'
  ) {
    return {
      kind: 'unavailable',
      permanent: false,
      message: `${where.endpoint} is unavailable${said}; retrying, lines wait in Kafka meanwhile`,
    };
  }
  const text = typeof e.message === 'string' && e.message ? e.message : String(err);
  return {
    kind: 'unknown',
    permanent: false,
    message: `storing an object at ${where.endpoint} failed: ${text.slice(0, 300)}${said}`,
  };
}
