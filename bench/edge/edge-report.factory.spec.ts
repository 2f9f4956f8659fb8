import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AGAINST_BASELINE_PEER,
  BASELINE_PEER,
  baselineLines,
  edgeMarkdown,
  edgeTargetLine,
  measured,
  medianResult,
  peerTable,
} from './edge-report.factory';

describe('edge benchmark report', () => {
  const edge = measured('edge producer', 'lz4', 1_000_000, {
    wallS: 2.5,
    cpuS: 3.5,
    peakRssBytes: 300 * 2 ** 20,
  });

  it('derives lines/s, CPU-s per million lines and MiB from the raw figures', () => {
    assert.deepEqual(edge, {
      peer: 'edge producer',
      compression: 'lz4',
      lines: 1_000_000,
      wallS: 2.5,
      cpuS: 3.5,
      linesPerS: 400_000,
      cpuSPerMillion: 3.5,
      peakRssMiB: 300,
    });
  });

  it('judges the targets on the edge producer with lz4 only', () => {
    assert.match(edgeTargetLine([edge]), /lines\/s — met; .* lines — met\.$/);
    const slow = measured('edge producer', 'lz4', 100, { wallS: 1, cpuS: 1, peakRssBytes: 0 });
    assert.match(edgeTargetLine([slow]), /— NOT met; .* — NOT met\.$/);
    const kcat = measured('kcat -P', 'lz4', 100, { wallS: 1, cpuS: 1, peakRssBytes: 0 });
    assert.equal(edgeTargetLine([kcat]), 'Targets (lz4): not measured.');
  });

  it('writes one table row per peer and codec', () => {
    const rows = peerTable([edge, { ...edge, peer: 'kcat -P', compression: 'zstd' }]);
    assert.equal(rows.length, 4);
    assert.equal(rows[3], '| kcat -P | zstd | 400,000 | 3.5 | 300 MiB | 2.5 s |');
  });

  it('says when a run was a quick one', () => {
    const md = edgeMarkdown({
      date: 'd',
      machine: 'm',
      quick: true,
      customers: 10,
      lines: 1_000_000,
      avgLineBytes: 300,
      lingerMs: 1000,
      results: [edge],
    });
    assert.match(md, /quick smoke run/);
    assert.match(md, /1,000,000 lines of ~300 bytes, 10 customers/);
  });

  it('compares with the baseline per codec and calls more than 5% slower or costlier a regression', () => {
    const base = (wallS: number, cpuS: number) =>
      measured(`${BASELINE_PEER} at abc1234`, 'lz4', 1_000_000, { wallS, cpuS, peakRssBytes: 0 });
    const edge = measured(AGAINST_BASELINE_PEER, 'lz4', 1_000_000, {
      wallS: 2.5,
      cpuS: 3.5,
      peakRssBytes: 0,
    });
    assert.deepEqual(baselineLines([edge]), []);
    const [same] = baselineLines([edge, base(2.45, 3.4)]).slice(-1);
    assert.match(same, /^- lz4: lines\/s -2\.0%, CPU-s per million lines \+2\.9% .*no regression/);
    const [slower] = baselineLines([edge, base(2.3, 3.5)]).slice(-1);
    assert.match(slower, /lines\/s -8\.0%.*REGRESSION/);
    const [costlier] = baselineLines([edge, base(2.5, 3.2)]).slice(-1);
    assert.match(costlier, /CPU-s per million lines \+9\.4%.*REGRESSION/);
    assert.match(
      edgeTargetLine([base(100, 100), edge]),
      /— met; .* — met\.$/,
      'the baseline is not judged',
    );
  });

  it('takes the median wall and CPU time of several runs and the highest peak RSS', () => {
    const run = (wallS: number, cpuS: number, mib: number) =>
      measured('edge producer', 'zstd', 1_000_000, { wallS, cpuS, peakRssBytes: mib * 2 ** 20 });
    const m = medianResult([run(3, 5, 200), run(2, 4, 250), run(9, 4.5, 210)]);
    assert.deepEqual([m.wallS, m.cpuS, m.peakRssMiB, m.linesPerS], [3, 4.5, 250, 333_333]);
    const even = medianResult([run(2, 4, 1), run(4, 6, 1)]);
    assert.deepEqual([even.wallS, even.cpuS], [3, 5]);
    assert.throws(() => medianResult([]), /no runs/);
  });
});
