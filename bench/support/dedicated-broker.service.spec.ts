import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sumWatermarks } from './dedicated-broker.service';

describe('kcat -Q watermarks', () => {
  it('adds up the end offsets of every partition listed', () => {
    const out = 'cdn-logs.a [0] offset 1000\ncdn-logs.b [0] offset 25\nnoise line\n';
    assert.deepEqual(sumWatermarks(out), { sum: 1025, partitions: 2 });
  });

  it('counts an unknown (-1) offset as an answered, empty partition', () => {
    assert.deepEqual(sumWatermarks('t [0] offset -1\n'), { sum: 0, partitions: 1 });
  });
});
