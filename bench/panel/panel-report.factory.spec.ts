import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenLoopRun } from '../support/open-loop.service';
import { panelMarkdown, panelReport, type PanelOperation } from './panel-report.factory';

function run(latencies: Array<[PanelOperation, string, number]>): OpenLoopRun<PanelOperation> {
  return {
    samples: latencies.map(([op, status, latencyMs]) => ({ op, status, latencyMs, bytes: 1 })),
    elapsedMs: 1000,
    maxSendLagMs: 2,
    maxInFlight: 3,
  };
}

const meta = { date: '2026-12-02T00:00:00Z', machine: 'test', quick: false };
const setup = { customers: 2, credentialsEach: 1, ratePerSecond: 4, seconds: 1 };
const expected = (op: PanelOperation) => (op === 'switch streaming' ? '200' : '200');

describe('panel bench report', () => {
  it('meets the target when p99 is under it and nothing failed', () => {
    const r = panelReport(
      run([
        ['page', '200', 10],
        ['page', '200', 30],
        ['asset', '200', 2],
        ['health fragment', '200', 5],
      ]),
      setup,
      100,
      expected,
      meta,
    );
    assert.equal(r.met, true);
    assert.equal(r.overall.p99Ms, 30);
    assert.equal(r.byOperation.page?.requests, 2);
    assert.equal(r.overall.throughputPerSecond, 4);
    assert.match(panelMarkdown(r), /\*\*met\*\*/);
  });

  it('fails on a slow p99 or on any unexpected status', () => {
    const slow = panelReport(run([['page', '200', 150]]), setup, 100, expected, meta);
    assert.equal(slow.met, false);
    const wrong = panelReport(run([['page', '503', 5]]), setup, 100, expected, meta);
    assert.equal(wrong.met, false);
    assert.equal(wrong.overall.errors, 1);
    assert.match(panelMarkdown(wrong), /NOT met/);
  });
});
