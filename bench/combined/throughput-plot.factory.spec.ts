import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measured } from '../edge/edge-report.factory';
import { throughputPlotScript } from './throughput-plot.factory';

describe('throughput plot script', () => {
  const m = { wallS: 1, cpuS: 2, peakRssBytes: 0 };
  const script = throughputPlotScript(
    [
      measured('edge producer', 'lz4', 1000, m),
      measured('kcat -P', 'lz4', 2000, m),
      measured('edge producer', 'zstd', 500, m),
    ],
    '/tmp/out "x".png',
    'Peers',
  );

  it('writes a row per codec and a column per peer, NaN where a peer did not run', () => {
    assert.match(
      script,
      /\$rate << EOD\n"codec" "edge producer" "kcat -P"\nlz4 1000 2000\nzstd 500 NaN\nEOD/,
    );
    assert.match(
      script,
      /\$cpu << EOD\n"codec" "edge producer" "kcat -P"\nlz4 2000 1000\nzstd 4000 NaN\nEOD/,
    );
  });

  it('plots every peer in both panels and keeps quotes out of strings', () => {
    assert.match(script, /set output "\/tmp\/out x\.png"/);
    assert.equal(script.match(/title columnheader\(3\)/g)?.length, 2);
    assert.match(script, /set multiplot layout 1,2 title "Peers"/);
  });
});
