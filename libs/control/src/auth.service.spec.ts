import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { assertAdmin, assertCanSeeCustomer } from './access.rules';
import { AuthService } from './auth.service';
import { ControlError } from './control.errors';
import type { ControlOptions } from './control.types';
import { parseCustomerId } from '@logstream/tenancy';

/** A database that must not be reached: admin tokens and malformed headers need none. */
const noDatabase = {
  get manager(): never {
    throw new Error('the database was queried');
  },
} as unknown as DataSource;

const options = {
  adminTokens: ['first-admin-token', 'second-admin-token'],
} as unknown as ControlOptions;

function rejectsWith(kind: string, message: RegExp) {
  return (err: unknown) =>
    err instanceof ControlError && err.kind === kind && message.test(err.message);
}

describe('AuthService', () => {
  const auth = new AuthService(noDatabase, options);

  it('accepts every configured admin token without touching the database', async () => {
    assert.deepEqual(await auth.authenticate('Bearer first-admin-token'), { kind: 'admin' });
    assert.deepEqual(await auth.authenticate('bearer second-admin-token'), { kind: 'admin' });
  });

  it('refuses missing and malformed headers with a reason, without the database', async () => {
    await assert.rejects(
      auth.authenticate(undefined),
      rejectsWith('unauthorized', /missing token/),
    );
    await assert.rejects(auth.authenticate(''), rejectsWith('unauthorized', /missing token/));
    for (const header of [
      'first-admin-token',
      'Basic abc',
      'Bearer',
      'Bearer a b',
      `Bearer ${'x'.repeat(513)}`,
    ]) {
      await assert.rejects(
        auth.authenticate(header),
        rejectsWith('unauthorized', /malformed/),
        header,
      );
    }
  });

  it('does not take a prefix, suffix or other case of an admin token', async () => {
    for (const token of ['first-admin-toke', 'first-admin-tokenx', 'FIRST-ADMIN-TOKEN']) {
      await assert.rejects(
        auth.authenticate(`Bearer ${token}`),
        rejectsWith('unauthorized', /invalid or revoked token/),
      );
    }
  });
});

describe('access rules', () => {
  const acme = parseCustomerId('acme');
  const other = parseCustomerId('other');
  const customer = { kind: 'customer', customerId: acme, tokenId: 't' } as const;

  it('lets admins see everyone and customers only themselves, as "not found"', () => {
    assert.doesNotThrow(() => assertCanSeeCustomer({ kind: 'admin' }, other));
    assert.doesNotThrow(() => assertCanSeeCustomer(customer, acme));
    assert.throws(
      () => assertCanSeeCustomer(customer, other),
      (err: unknown) =>
        err instanceof ControlError &&
        err.kind === 'not_found' &&
        err.message === 'customer "other" not found',
    );
  });

  it('keeps admin operations for admins', () => {
    assert.doesNotThrow(() => assertAdmin({ kind: 'admin' }));
    assert.throws(() => assertAdmin(customer), rejectsWith('forbidden', /admin token/));
  });
});
