import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampledLog } from './sampled-log.writer';

describe('SampledLog', () => {
  it('writes at most one line per interval and counts what it held back', () => {
    const written: Array<[string, Record<string, unknown> | undefined]> = [];
    let now = 0;
    const log = new SampledLog(
      (m, f) => written.push([m, f]),
      5_000,
      () => now,
    );
    log.write('kafka error', { error: 'down' });
    now = 1_000;
    log.write('kafka error', { error: 'down' });
    log.write('kafka error', { error: 'down' });
    now = 5_000;
    log.write('kafka error', { error: 'up again' });
    assert.deepEqual(written, [
      ['kafka error', { error: 'down' }],
      ['kafka error', { error: 'up again', suppressed: 2 }],
    ]);
  });
});
