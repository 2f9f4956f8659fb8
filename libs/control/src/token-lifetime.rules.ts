import { ControlError } from './control.errors';

/** The longest a customer token may be issued for. */
export const MAX_TOKEN_TTL_S = 10 * 366 * 86_400;

export interface TokenLifetime {
  /** When the token stops working. */
  expiresAt?: Date;
  /** Or: seconds from now. */
  ttlSeconds?: number;
}

/** The expiry a request asks for, checked: in the future, within the maximum, not both forms. */
export function tokenExpiry(lifetime: TokenLifetime, now = Date.now()): Date | null {
  const { expiresAt, ttlSeconds } = lifetime;
  if (expiresAt !== undefined && ttlSeconds !== undefined) {
    throw new ControlError('invalid', 'give either expiresAt or ttl, not both');
  }
  if (ttlSeconds !== undefined) return new Date(now + ttlSeconds * 1000);
  if (expiresAt === undefined) return null;
  if (expiresAt.getTime() <= now) {
    throw new ControlError('invalid', 'expiresAt must be in the future');
  }
  if (expiresAt.getTime() > now + MAX_TOKEN_TTL_S * 1000) {
    throw new ControlError('invalid', 'expiresAt must be at most 10 years ahead');
  }
  return expiresAt;
}
