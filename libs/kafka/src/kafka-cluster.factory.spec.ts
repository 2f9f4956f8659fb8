import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { javaStringHash, offsetsPartitionOf } from './kafka-cluster.factory';

/** Reference: the same hash in BigInt arithmetic, wrapped to 32 bits at the end. */
function javaHash(s: string): number {
  let h = 0n;
  for (const c of s) h = (h * 31n + BigInt(c.charCodeAt(0))) & 0xffffffffn;
  return Number(BigInt.asIntN(32, h));
}

describe('offsetsPartitionOf', () => {
  it('hashes as Java String.hashCode does, overflow included', () => {
    assert.equal(javaStringHash(''), 0);
    assert.equal(javaStringHash('hello'), 99162322);
    assert.equal(javaStringHash('acme.g0'), javaHash('acme.g0'));
    assert.ok(javaStringHash('acme.g0') < 0);
  });

  it('places a group as Kafka does, Integer.MIN_VALUE on partition 0', () => {
    assert.equal(offsetsPartitionOf('hello', 50), 99162322 % 50);
    assert.equal(offsetsPartitionOf('acme.g0', 10), Math.abs(javaHash('acme.g0')) % 10);
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE, whose abs stays negative in Java.
    assert.equal(javaStringHash('polygenelubricants'), -2147483648);
    assert.equal(offsetsPartitionOf('polygenelubricants', 50), 0);
  });
});
