import { CUSTOMER_ID_MAX_LENGTH } from '@logstream/tenancy';

/**
 * The customer id rules of the contract, applied to raw bytes so the per-line path never builds
 * a string. A line's id is validated and hashed in one pass; the hash finds the tenant.
 */

export const SPACE = 0x20;
export const HYPHEN = 0x2d;
export const ID_MAX_BYTES = CUSTOMER_ID_MAX_LENGTH;

/** Byte classes: 0 = not allowed in an id, 1 = a-z or 0-9, 2 = "-", 3 = the separator. */
export const BYTE_INVALID = 0;
export const BYTE_ID = 1;
export const BYTE_HYPHEN = 2;
export const BYTE_SPACE = 3;

export const BYTE_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let c = 0x61; c <= 0x7a; c++) table[c] = BYTE_ID;
  for (let c = 0x30; c <= 0x39; c++) table[c] = BYTE_ID;
  table[HYPHEN] = BYTE_HYPHEN;
  table[SPACE] = BYTE_SPACE;
  return table;
})();

export const HASH_SEED = 0x811c9dc5 | 0;
export const HASH_PRIME = 16777619;
/** Keeps hashes small integers, so Map keys never become heap numbers. */
export const HASH_MASK = 0x3fffffff;

/**
 * The id hash is FNV-1a, masked: start at {@link HASH_SEED}, {@link hashIdByte} each byte, then
 * {@link finishIdHash}. The router runs these steps inside its validation loop (one pass over the
 * id), the tenant table through {@link hashIdBytes}: the same functions, so they cannot differ.
 */
export function hashIdByte(h: number, byte: number): number {
  return Math.imul(h ^ byte, HASH_PRIME);
}

export function finishIdHash(h: number): number {
  return h & HASH_MASK;
}

export function hashIdBytes(buf: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashIdByte(h, buf[i]);
  return finishIdHash(h);
}

export function sameBytes(a: Uint8Array, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (a.length !== bEnd - bStart) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[bStart + i]) return false;
  return true;
}
