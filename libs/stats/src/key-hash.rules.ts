/**
 * Keys for the sketches, computed from a line's bytes without allocating: a 32-bit mixed hash
 * for HyperLogLog, and a 53-bit key (a JS number) for the Space-Saving counters. An IPv4
 * address is its own exact key (below 2^32); every other key is hashed into [2^32, 2^53), so
 * two distinct keys share a counter only on a 53-bit hash collision (about n²/2^54 for n
 * distinct keys in one window: 1 in 18,000 for a million).
 */

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two independent 32-bit FNV-1a style hashes of buf[start, end), packed as [h1, h2]. */
function hashPair(buf: Uint8Array, start: number, end: number, out: Uint32Array): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
  }
  out[0] = mix32(h1 ^ (end - start));
  out[1] = mix32(h2 + 0x27d4eb2f);
}

const PAIR = new Uint32Array(2);
const TWO_32 = 4294967296;
/** 2^53 - 2^32: the number of hashed keys above the IPv4 range. */
const HASH_SPAN = 2 ** 53 - TWO_32;

/** The 53-bit counter key of a byte range (not an IPv4 address). */
export function bytesKey(buf: Uint8Array, start: number, end: number): number {
  hashPair(buf, start, end, PAIR);
  return TWO_32 + ((PAIR[0] * 2097152 + (PAIR[1] & 0x1fffff)) % HASH_SPAN);
}

/** An IPv4 dotted quad in buf[start, end) as a 32-bit number, or -1 for anything else. */
export function ipv4Value(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  let octet = -1;
  let dots = 0;
  let octetDigits = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x2e) {
      if (octet < 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = -1;
      octetDigits = 0;
      dots++;
    } else if (c >= 0x30 && c <= 0x39) {
      if (octetDigits === 3 || (octetDigits > 0 && octet === 0)) return -1;
      octet = (octet < 0 ? 0 : octet * 10) + (c - 0x30);
      octetDigits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || octet < 0) return -1;
  return value * 256 + octet;
}

/** The counter key of a client address: exact for IPv4, hashed otherwise. */
export function ipKey(buf: Uint8Array, start: number, end: number): number {
  const v4 = ipv4Value(buf, start, end);
  return v4 >= 0 ? v4 : bytesKey(buf, start, end);
}

/** The 32-bit HyperLogLog hash of a counter key. */
export function hllHashOfKey(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / TWO_32);
  return mix32(mix32(lo) ^ Math.imul(hi + 0x9e3779b9, 0x85ebca6b));
}
