import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measured } from '../edge/edge-report.factory';
import { combinedMarkdown, type CombinedReport } from './combined-report.factory';

const base: CombinedReport = {
  date: '2026-11-30T15:00:00.000Z',
  machine: '2 × cpu',
  quick: true,
  totalSeconds: 125,
  runs: [
    { name: 'edge', seconds: 65 },
    { name: 'latency', seconds: 60, error: 'broker did not start' },
  ],
  plot: 'report-throughput.png',
  edge: {
    date: 'd',
    machine: 'm',
    quick: true,
    customers: 200,
    lines: 100_000,
    avgLineBytes: 269,
    lingerMs: 1000,
    results: [measured('edge producer', 'lz4', 100_000, { wallS: 2, cpuS: 1, peakRssBytes: 0 })],
  },
  provision: {
    enable: { customers: 20, ratePerSecond: 10, toConsumableMs: { p50: 98.4, p99: 309, max: 520 } },
    bulk: { customers: 300, totalMs: 12_345, perSecond: 24.3 },
  },
};

describe('combined benchmark report', () => {
  const md = combinedMarkdown(base);

  it('lists every benchmark with its time and outcome, and the total', () => {
    assert.match(md, /\| `bench:edge` \| 1 min 5 s \| ok \|/);
    assert.match(md, /\| `bench:latency` \| 1 min 0 s \| FAILED \|/);
    assert.match(md, /The run took 2 min 5 s\./);
    assert.match(md, /Quick smoke run/);
  });

  it('puts the edge table, its targets and the plot link in the edge section', () => {
    assert.match(md, /\| edge producer \| lz4 \| 50,000 \| 10 \| 0 MiB \| 2 s \|/);
    assert.match(md, /Targets \(edge producer, lz4\)/);
    assert.match(md, /!\[[^\]]*\]\(report-throughput\.png\)/);
  });

  it('says why a section has no figures', () => {
    assert.match(md, /Not measured: `bench:latency` failed: broker did not start/);
    assert.match(md, /## Control API\n\nNot run\./);
  });

  it('summarises provisioning', () => {
    assert.match(md, /enable → consumable p50 \(20 customers at 10\/s\) \| 98 ms \|/);
    assert.match(md, /target < 3000 ms: met\) \| 309 ms \|/);
    assert.match(md, /reconcile 300 customers from scratch \| 12\.3 s \(24 customers\/s\) \|/);
  });
});
