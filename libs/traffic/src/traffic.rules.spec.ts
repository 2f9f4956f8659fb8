import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownTrafficSource, TrafficTruth } from './ground-truth.rules';
import { accessLogLine, clfTime, seededRandom, trafficSource, ZipfSampler } from './traffic.rules';

describe('synthetic traffic', () => {
  it('writes combined-format lines prefixed with the customer id and ending in the edge time', () => {
    const line = accessLogLine('acme', Date.UTC(2026, 10, 23, 14, 5, 9, 123), seededRandom(1));
    assert.match(
      line,
      /^acme \d+\.\d+\.\d+\.\d+ - - \[23\/Nov\/2026:14:05:09 \+0000\] "(GET|HEAD|POST) http:\/\/[a-z]+\.acme\.example\/\S* HTTP\/1\.1" \d{3} \d+ "[^"]*" "[^"]*" 1795442709123$/,
    );
    assert.equal(line.indexOf(' '), 4, 'the id is split off at the first space');
  });

  it('is reproducible for a seed', () => {
    const a = trafficSource({ customers: ['x', 'y'], zipf: 1, unknownShare: 0.1, seed: 7 });
    const b = trafficSource({ customers: ['x', 'y'], zipf: 1, unknownShare: 0.1, seed: 7 });
    for (let i = 0; i < 100; i++) assert.equal(a(i), b(i));
  });

  it('spreads lines over customers with a Zipf skew and mixes in unknown ids', () => {
    const customers = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const next = trafficSource({ customers, zipf: 1.1, unknownShare: 0.05, seed: 3 });
    const counts = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const id = next(0).split(' ', 1)[0];
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const unknown = [...counts]
      .filter(([id]) => id.startsWith('unknown-'))
      .reduce((n, [, c]) => n + c, 0);
    assert.ok(unknown > 2000 && unknown < 3000, `unknown lines ${unknown}`);
    assert.ok(
      (counts.get('c0') ?? 0) > 5 * (counts.get('c9') ?? 0),
      'the first customer dominates',
    );
    assert.ok((counts.get('c99') ?? 0) > 0, 'the tail still gets traffic');
  });

  it('draws every index of a Zipf sampler within range', () => {
    const z = new ZipfSampler(3, 0);
    assert.deepEqual(
      [0, 0.3, 0.34, 0.67, 0.999999].map((u) => z.sample(u)),
      [0, 0, 1, 2, 2],
    );
    assert.throws(() => new ZipfSampler(0, 1), /at least one/);
  });

  it('formats CLF time in UTC', () => {
    assert.equal(clfTime(Date.UTC(2026, 0, 2, 3, 4, 5)), '[02/Jan/2026:03:04:05 +0000]');
  });
});

describe('known traffic', () => {
  it('records exactly what it writes', () => {
    const truth = new TrafficTruth(10_000);
    const next = knownTrafficSource('acme', { seed: 5, clients: 50, hosts: 3 }, [truth]);
    const lines = Array.from({ length: 1000 }, (_, i) => next(Date.UTC(2026, 11, 2) + i * 25));
    const windows = [...truth.of('acme').values()];
    assert.equal(windows.length, 3);
    assert.equal(
      windows.reduce((n, w) => n + w.requests, 0),
      1000,
    );
    const bytes = lines.reduce((n, l) => n + Number(l.split('" ')[1].split(' ')[1]), 0);
    assert.equal(
      windows.reduce((n, w) => n + w.bytes, 0),
      bytes,
    );
    assert.ok(
      lines.every((l) => /^acme \S+ - - \[.*\] "GET http:\/\/www\d\.acme\.example\//.test(l)),
    );
  });
});
