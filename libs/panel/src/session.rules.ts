import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries a panel session's random id (and nothing else). */
export const SESSION_COOKIE = 'logstream_panel';

/** A session id: 256 random bits. The browser holds it; the database holds its SHA-256. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A cookie value that could be a session id at all (anything else is not looked up). */
export function plausibleSessionId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Compares in constant time; a missing value never matches. */
export function csrfMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The named cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface SessionCookieOptions {
  secure: boolean;
  maxAgeMs: number;
}

/** `HttpOnly`, `SameSite=Strict`, path /panel, `Secure` over TLS. */
export function sessionCookie(id: string, options: SessionCookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${id}`,
    'Path=/panel',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(options.maxAgeMs / 1000)}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeMs: 0 });
}

export interface RequestOrigin {
  /** The Origin header, if sent. */
  origin: string | undefined;
  /** The Sec-Fetch-Site header, if sent. */
  fetchSite: string | undefined;
  /** This server as the browser addressed it: `http://host:port`. */
  self: string;
}

/**
 * Whether a state-changing request comes from the panel's own pages. Browsers send
 * Sec-Fetch-Site (and Origin) on every POST; a request from another site says so in one of
 * them, and a request with neither is refused too (no browser form sends that).
 */
export function sameOriginProblem(r: RequestOrigin): string | undefined {
  if (r.fetchSite !== undefined) {
    if (r.fetchSite === 'same-origin') return undefined;
    return `refused: this form was sent from another site (Sec-Fetch-Site: ${r.fetchSite})`;
  }
  if (r.origin === undefined) {
    return 'refused: the request names no origin (send it from the panel in a browser)';
  }
  if (r.origin !== r.self) return 'refused: this form was sent from another site (Origin)';
  return undefined;
}
