import { createHash } from 'node:crypto';

/**
 * What a customer is told about the provisioner's last error. The error itself names broker
 * hosts, internal principals and Kafka's messages, which are the platform's business; the
 * customer learns that it is being handled and gets a reference support can match in the admin
 * view (the same error text always gives the same reference).
 */
export function customerSafeError(lastError: string | null): string | null {
  if (lastError === null) return null;
  const reference = createHash('sha256').update(lastError, 'utf8').digest('hex').slice(0, 10);
  return `the platform could not finish setting up your streaming yet; it retries by itself. If this persists, contact support quoting reference ${reference}`;
}
