import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest. The associated data binds a ciphertext to its customer and
 * purpose, so a value copied into another customer's row does not decrypt there.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each base64url.
 */
const VERSION = 'v1';

export function sealSecret(key: Buffer, context: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export class SecretUnreadableError extends Error {
  constructor(context: string) {
    super(
      `a stored secret (${context}) cannot be decrypted: LOGSTREAM_ARCHIVE_SECRET_KEY differs from the key it was stored with`,
    );
    this.name = 'SecretUnreadableError';
  }
}

export function openSecret(key: Buffer, context: string, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretUnreadableError(context);
  const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadableError(context);
  }
}

export function secretContext(customerId: string, purpose: 'secret' | 'challenge'): string {
  return `logstream-archive:${customerId}:${purpose}`;
}
