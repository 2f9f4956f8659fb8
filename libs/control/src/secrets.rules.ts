import { createHash, randomBytes } from 'node:crypto';

/** 32 symbols, so each random byte maps to one without bias (256 = 8 x 32). */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export const CUSTOMER_TOKEN_PREFIX = 'lsc_';

/** A credential id: 16 random lowercase letters and digits (80 bits), usable in a principal. */
export function randomCredentialId(): string {
  return Array.from(randomBytes(16), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** A customer API token: a recognisable prefix and 256 random bits. */
export function newCustomerToken(): string {
  return CUSTOMER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
