import { randomInt } from 'node:crypto';
import * as forge from 'node-forge';
import type { KeyPairPem } from './pki.types';

/** Letters and digits only: the password goes into shell, YAML, .properties and Logstash files unquoted-safe. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
/** 24 characters of a 57-letter alphabet: about 140 bits. */
const PASSWORD_LENGTH = 24;
/** The alias Java tools show for the key entry (keytool -list). */
export const PKCS12_KEY_ALIAS = 'client';

/** A fresh random password for a PKCS#12 keystore (uniform over the alphabet). */
export function randomKeystorePassword(): string {
  let out = '';
  for (let i = 0; i < PASSWORD_LENGTH; i++) {
    out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  }
  return out;
}

type Pkcs12Options = NonNullable<Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]>;

/**
 * A PKCS#12 keystore (what Java clients, Logstash and browsers load) holding the credential's
 * private key and its certificate chain: the certificate first, then `chainPems` (the CA).
 * The key is encrypted with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) rather than node-forge's
 * AES-128/SHA-1 default; OpenSSL 3 and Java 17 both read it.
 */
export function pkcs12Keystore(
  pair: KeyPairPem,
  chainPems: readonly string[],
  password: string,
): Buffer {
  if (password.length < 8) throw new Error('a PKCS#12 password must be at least 8 characters');
  const key = forge.pki.privateKeyFromPem(pair.keyPem);
  const chain = [pair.certPem, ...chainPems].map((pem) => forge.pki.certificateFromPem(pem));
  // prfAlgorithm is read by node-forge's encryptPrivateKeyInfo but missing from its typings.
  const options: Pkcs12Options & { prfAlgorithm: 'sha256' } = {
    algorithm: 'aes256',
    count: 10_000,
    saltSize: 16,
    prfAlgorithm: 'sha256',
    friendlyName: PKCS12_KEY_ALIAS,
    generateLocalKeyId: true,
  };
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, options);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
