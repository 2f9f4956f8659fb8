import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from './crc32.rules';

describe('crc32', () => {
  it('matches the standard check value and continues across pieces', () => {
    const text = Buffer.from('123456789');
    assert.equal(crc32(text), 0xcbf43926);
    assert.equal(crc32(text, 4, 9, crc32(text, 0, 4)), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('changes when one bit changes', () => {
    const a = Buffer.from('site-a GET /index.html 200\n');
    const b = Buffer.from(a);
    b[7] ^= 1;
    assert.notEqual(crc32(a), crc32(b));
  });
});
