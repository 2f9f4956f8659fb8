import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError } from 'typeorm';
import { databaseTrouble } from './database-errors.rules';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('databaseTrouble', () => {
  it('calls a refused, reset or timed-out connection unreachable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']) {
      assert.equal(databaseTrouble(withCode(code)), 'unreachable', code);
    }
  });

  it('reads SQLSTATEs: shutdown and connection classes are unreachable, timeouts are busy', () => {
    assert.equal(databaseTrouble(withCode('57P01')), 'unreachable');
    assert.equal(databaseTrouble(withCode('57P03')), 'unreachable');
    assert.equal(databaseTrouble(withCode('08006')), 'unreachable');
    assert.equal(databaseTrouble(withCode('53300')), 'unreachable');
    assert.equal(databaseTrouble(withCode('57014')), 'busy');
    assert.equal(databaseTrouble(withCode('40P01')), 'busy');
  });

  it("recognises pg-pool's messages for a connection that died", () => {
    assert.equal(databaseTrouble(new Error('Connection terminated unexpectedly')), 'unreachable');
    assert.equal(
      databaseTrouble(new Error('timeout exceeded when trying to connect')),
      'unreachable',
    );
  });

  it('looks through TypeORM wrappers and causes', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], withCode('ECONNREFUSED'));
    assert.equal(databaseTrouble(wrapped), 'unreachable');
    assert.equal(databaseTrouble(new Error('outer', { cause: withCode('57014') })), 'busy');
  });

  it('leaves real bugs alone: constraint violations, syntax errors, non-errors', () => {
    assert.equal(databaseTrouble(withCode('23505')), undefined);
    assert.equal(databaseTrouble(withCode('42601')), undefined);
    assert.equal(databaseTrouble(new TypeError('x is undefined')), undefined);
    assert.equal(databaseTrouble(undefined), undefined);
    assert.equal(databaseTrouble('ECONNREFUSED'), undefined);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(databaseTrouble(a), undefined);
  });
});
