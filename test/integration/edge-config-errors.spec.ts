import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEdge } from '../support/edge';

/** Configuration that only librdkafka can judge (-X properties) is refused like any other. */
describe('edge producer configuration librdkafka refuses', () => {
  for (const [property, expected] of [
    ['no.such.property=1', /No such configuration property: "no.such.property"/],
    ['linger.ms=soon', /Invalid value for configuration property/],
  ] as const) {
    it(`exits 2 with librdkafka's reason for -X ${property}`, async () => {
      const edge = startEdge(['-X', property]);
      const exit = await edge.waitForExit(30_000);
      assert.equal(exit.code, 2, edge.raw.join('\n'));
      const output = edge.raw.join('\n');
      assert.match(output, /^invalid configuration:/m);
      assert.match(output, expected);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
    });
  }
});
