import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'logstream-signature';
export const TIMESTAMP_HEADER = 'logstream-timestamp';

/** HMAC-SHA256 over `<timestamp>.<body>` with the subscription's secret, hex: `v1=<hex>`. */
export function signWebhook(secret: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `v1=${mac}`;
}

/**
 * What a receiver does: recompute and compare in constant time, and refuse a timestamp more
 * than `toleranceSec` away from its clock (a replayed message).
 */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSec - ts) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
