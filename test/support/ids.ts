import { randomBytes } from 'node:crypto';
import { type CustomerId, parseCustomerId } from '@logstream/tenancy';

/**
 * A customer id no other test run has used, so integration tests share one broker and one
 * database without resetting them between tests.
 */
export function randomCustomerId(prefix = 'it'): CustomerId {
  return parseCustomerId(`${prefix}-${randomBytes(5).toString('hex')}`);
}

export function randomToken(): string {
  return randomBytes(4).toString('hex');
}
