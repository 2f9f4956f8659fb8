import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testFiguresReport } from './test-figures.factory';

const run = {
  suite: 'all',
  passed: 3,
  failed: 0,
  commit: 'abc1234',
  finishedAt: '2026-12-02T18:00:00Z',
};
const at = '2026-12-02T17:00:00Z';

describe('testFiguresReport', () => {
  it('groups figures by spec (sorted) and scenario (in run order), and names the run', () => {
    const md = testFiguresReport(run, [
      { spec: 'test/z.spec.ts', scenario: 'later', text: 'z1', at },
      { spec: 'test/a.spec.ts', scenario: 'second', text: 'a2', at },
      { spec: 'test/a.spec.ts', scenario: 'first', text: 'a1', at },
      { spec: 'test/a.spec.ts', scenario: 'second', text: 'a3', at },
    ]);
    assert.match(md, /commit `abc1234`/);
    assert.match(md, /3 passed, 0 failed/);
    const order = [
      '## `test/a.spec.ts`',
      '**second**',
      '- a2',
      '- a3',
      '**first**',
      '- a1',
      '## `test/z.spec.ts`',
      '- z1',
    ];
    const positions = order.map((s) => md.indexOf(s));
    assert.ok(
      positions.every((p) => p >= 0),
      `all of ${order.join(', ')} in:\n${md}`,
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
  });

  it('says so when a run recorded nothing', () => {
    assert.match(testFiguresReport(run, []), /recorded no figures/);
  });
});
