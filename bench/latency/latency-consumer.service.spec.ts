import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { edgeTimeMs } from './latency-consumer.service';

describe('edge time of a line', () => {
  it('is the number that ends the line, with or without trailing spaces and newline', () => {
    assert.equal(
      edgeTimeMs(Buffer.from('1.2.3.4 - - "GET / HTTP/1.1" 200 5 1796050542607')),
      1796050542607,
    );
    assert.equal(edgeTimeMs(Buffer.from('x "ua" 1796050542607   \n')), 1796050542607);
  });

  it('is NaN for a line without one', () => {
    assert.ok(Number.isNaN(edgeTimeMs(Buffer.from('x "ua"'))));
    assert.ok(Number.isNaN(edgeTimeMs(Buffer.from(''))));
    assert.ok(Number.isNaN(edgeTimeMs(Buffer.from('x 12345678901234567890'))));
  });
});
