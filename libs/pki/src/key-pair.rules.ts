import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

/** Whether the private key is the one whose public half the certificate carries. */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  return fromCert.equals(fromKey);
}
