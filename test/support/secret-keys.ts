import { randomBytes } from 'node:crypto';

/**
 * The platform's secret keys for one test or bench process: apps run with production rules there,
 * which require real keys. Drawn anew in each process, so no key lives in the repository; the
 * control API it runs in-process and every app it spawns share them.
 */
export const TEST_SECRET_KEYS: Readonly<Record<string, string>> = {
  LOGSTREAM_ARCHIVE_SECRET_KEY: randomBytes(32).toString('base64'),
  LOGSTREAM_ALERT_SECRET_KEY: randomBytes(32).toString('hex'),
};

/** The s3proxy that scripts/test.sh runs speaks plain HTTP on loopback. */
export const PLAIN_HTTP_ARCHIVE_ENV: Readonly<Record<string, string>> = {
  LOGSTREAM_ARCHIVE_ALLOW_HTTP_ENDPOINTS: 'true',
};
