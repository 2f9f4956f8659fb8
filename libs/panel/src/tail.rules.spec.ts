import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clipLine,
  lineMatches,
  MAX_TAIL_LINE_CHARS,
  normaliseFilter,
  sseEvent,
  TailSampler,
} from './tail.rules';

describe('tail rules', () => {
  it('filters case-insensitively; the empty filter keeps everything', () => {
    assert.equal(normaliseFilter('  /Checkout '), '/checkout');
    assert.equal(normaliseFilter(undefined), '');
    assert.equal(normaliseFilter('x'.repeat(201)), undefined);
    assert.equal(normaliseFilter(['a']), undefined);
    assert.ok(lineMatches('GET /CHECKOUT 200', '/checkout'));
    assert.ok(!lineMatches('GET /cart 200', '/checkout'));
    assert.ok(lineMatches('anything', ''));
  });

  it('cuts very long lines', () => {
    assert.equal(clipLine('x'.repeat(MAX_TAIL_LINE_CHARS + 5)).length, MAX_TAIL_LINE_CHARS + 1);
    assert.equal(clipLine('short'), 'short');
  });

  it('sends everything under the cap', () => {
    const s = new TailSampler(10);
    const sent = Array.from({ length: 10 }, (_, i) => s.offer(i * 100)).filter((d) => d.send);
    assert.equal(sent.length, 10);
    assert.equal(s.currentRate, 1);
  });

  it('never sends more than the cap in a second, then samples 1 in N evenly and says so', () => {
    const s = new TailSampler(10);
    // Second 0: 50 lines; only the first 10 go.
    let sent = 0;
    for (let i = 0; i < 50; i++) if (s.offer(i * 20).send) sent++;
    assert.equal(sent, 10);
    // Second 1: the rate is now 1 in 5; 50 lines give 10, evenly spread.
    const decisions = Array.from({ length: 50 }, (_, i) => s.offer(1000 + i * 20));
    assert.equal(decisions[0].rate, 5);
    assert.deepEqual(
      decisions.flatMap((d, i) => (d.send ? [i] : [])),
      [0, 5, 10, 15, 20, 25, 30, 35, 40, 45],
    );
  });

  it('falls back to every line once the flood is over, even with no line to carry the news', () => {
    const s = new TailSampler(10);
    for (let i = 0; i < 100; i++) s.offer(i * 10);
    assert.equal(s.tick(1000), 10);
    assert.equal(s.tick(2500), 1);
    assert.deepEqual(s.offer(2600), { send: true });
  });

  it('writes one server-sent event per message, data as one line of JSON', () => {
    assert.equal(sseEvent('line', { text: 'a\nb' }), 'event: line\ndata: {"text":"a\\nb"}\n\n');
  });
});
