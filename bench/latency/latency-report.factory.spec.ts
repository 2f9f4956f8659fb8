import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  latencyFigures,
  latencyMarkdown,
  type LatencyProfileResult,
  latencyTable,
} from './latency-report.factory';

const profile: LatencyProfileResult = {
  name: 'low latency',
  lingerMs: 50,
  fetchWaitMaxMs: 10,
  targetP99Ms: 200,
  p50Ms: 60,
  p99Ms: 150,
  p999Ms: 190,
  maxMs: 300,
  measuredLines: 12_000,
  producedLines: 15_000,
  consumedLines: 15_000,
};

describe('latency benchmark report', () => {
  it('takes nearest-rank percentiles of the samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    assert.deepEqual(latencyFigures(samples), { p50Ms: 500, p99Ms: 990, p999Ms: 999, maxMs: 1000 });
    assert.ok(Number.isNaN(latencyFigures([]).p99Ms));
  });

  it('judges each profile against its own p99 target', () => {
    const rows = latencyTable([profile, { ...profile, name: 'default', p99Ms: 250 }]);
    assert.match(rows[2], /\| low latency \| 50 ms \| 10 \| 12,000 \| .* p99 < 200 ms: met \|$/);
    assert.match(rows[3], /p99 < 200 ms: NOT met \|$/);
  });

  it('says whether every produced line reached the consumer', () => {
    const base = {
      date: 'd',
      machine: 'm',
      quick: false,
      customers: 20,
      ratePerSecond: 1000,
      warmUpSeconds: 3,
      measureSeconds: 30,
    };
    assert.match(latencyMarkdown({ ...base, profiles: [profile] }), /Every line .* was consumed/);
    assert.match(
      latencyMarkdown({ ...base, profiles: [{ ...profile, consumedLines: 14_990 }] }),
      /missing at the consumer: low latency 10\./,
    );
  });
});
