import { isIPv4, isIPv6 } from 'node:net';

/** A token bucket: `tokens` left at time `at` (ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

export interface BucketRule {
  /** Tokens a full bucket holds: the burst allowed. */
  capacity: number;
  /** How long an empty bucket takes to refill completely. */
  refillMs: number;
}

/**
 * Takes one token from `bucket` (undefined: a full one) at time `now`. Answers the bucket after
 * the attempt and, when it was empty, how long until a token is back.
 */
export function takeToken(
  bucket: Bucket | undefined,
  now: number,
  rule: BucketRule,
): { bucket: Bucket; retryAfterMs?: number } {
  const perMs = rule.capacity / rule.refillMs;
  const current =
    bucket === undefined
      ? rule.capacity
      : Math.min(rule.capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
  if (current >= 1) return { bucket: { tokens: current - 1, at: now } };
  return { bucket: { tokens: current, at: now }, retryAfterMs: (1 - current) / perMs };
}

/** Whether the bucket would be full again by `now` (and can be forgotten). */
export function bucketRefilled(bucket: Bucket, now: number, rule: BucketRule): boolean {
  return bucket.tokens + (now - bucket.at) * (rule.capacity / rule.refillMs) >= rule.capacity;
}

/** The first four groups of an IPv6 address, expanded: its /64 network. */
function ipv6Prefix64(address: string): string {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups; it never reaches the first four.
  const rightGroups = right.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - rightGroups).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, '').toLowerCase())
    .join(':');
}

/**
 * The rate-limit key of a client address: an IPv4 address itself (also when written as an
 * IPv4-mapped IPv6 address), an IPv6 address by its /64, which one subscriber usually holds whole.
 */
export function clientAddressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const zoneless = address.split('%')[0];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(zoneless);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(zoneless)) return zoneless;
  if (isIPv6(zoneless)) return `${ipv6Prefix64(zoneless)}::/64`;
  return 'unknown';
}
