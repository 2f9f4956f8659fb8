import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerHealth, HealthSeries } from '@logstream/health';
import { parseCustomerId } from '@logstream/tenancy';
import { healthModel } from '../panel-models.factory';
import { chartSegments, lineChart } from './chart.view';
import { formatRate, healthBlock } from './health.view';
import { emptyHealth, emptySeries, NOW } from './api-answers.fixtures';

const ACME = parseCustomerId('acme');

const busy: CustomerHealth = {
  asOf: NOW.toISOString(),
  produced: { linesPerSec: 1234.4, bytesPerSec: 250_000, lastLineAt: '2026-06-01T11:59:58Z' },
  retention: { ms: 7 * 24 * 3600_000, oldestLineAt: '2026-05-25T12:00:00Z' },
  groups: [
    {
      groupId: 'acme.siem',
      state: 'Stable',
      members: 2,
      lagLines: 15_000,
      lagSeconds: 42,
      lastCommitAt: '2026-06-01T11:59:50Z',
      atRisk: false,
      lostLines: 0,
    },
    {
      groupId: 'acme.<b>old</b>',
      state: 'Empty',
      members: 0,
      lagLines: 9_000_000,
      lagSeconds: null,
      lastCommitAt: null,
      atRisk: true,
      lostLines: 321,
    },
  ],
  edgeDrops: {
    routedLines: 74_000,
    routedBytes: 15_000_000,
    inactive: 12,
    oversize: 3,
    nodes: 2,
    since: '2026-06-01T11:59:00Z',
  },
  broker: { producedBytesPerSec: 250_500, fetchedBytesPerSec: 501_000 },
  lastError: null,
};

function series(values: Array<number | null>): HealthSeries {
  const from = NOW.getTime() - values.length * 600_000;
  return {
    ...emptySeries,
    points: values.map((value, i) => ({
      t: new Date(from + i * 600_000).toISOString(),
      value,
    })),
  };
}

describe('health block', () => {
  it('shows the produced rate, the newest line, groups with lag, risk and loss, and edge drops', () => {
    const out = healthBlock(healthModel(ACME, busy, series([10, 20, 30]), NOW)).value;
    assert.match(out, /id="health-produced">1,234 lines\/s, 250\.0 kB\/s</);
    assert.match(out, /id="health-newest">2\.0 s ago/);
    assert.match(out, /lines are kept 7 days/);
    assert.match(out, /id="health-broker">250\.5 kB\/s in, 501\.0 kB\/s read by your consumers</);
    assert.match(out, /<tr data-group="acme\.siem">[\s\S]*?15,000[\s\S]*?42\.0 s[\s\S]*?<\/tr>/);
    assert.match(out, /9,000,000[\s\S]*?not known yet[\s\S]*?at risk[\s\S]*?321/);
    assert.match(out, /74,000 lines \(15\.0 MB\) from\s+2\s+edge nodes/);
    assert.match(out, /12\s+while streaming was off,\s+3\s+over the line-size\s+limit/);
    assert.match(out, /hx-get="\/panel\/customers\/acme\/health"\s+hx-trigger="every 15s"/);
  });

  it('escapes group ids and says plainly when nothing is known yet', () => {
    const hostile = healthBlock(healthModel(ACME, busy, emptySeries, NOW)).value;
    assert.ok(!hostile.includes('<b>old</b>'));
    assert.match(hostile, /acme\.&lt;b&gt;old&lt;\/b&gt;/);
    const young = { ...busy, retention: { ms: null, oldestLineAt: null } };
    const unknown = healthBlock(healthModel(ACME, young, emptySeries, NOW)).value;
    assert.match(unknown, /id="health-retention">not known yet/);
    const empty = healthBlock(healthModel(ACME, emptyHealth, emptySeries, NOW)).value;
    assert.match(empty, /No consumer group has committed an offset yet[\s\S]*<code>acme\.<\/code>/);
    assert.match(empty, /id="health-newest">none yet/);
    assert.match(empty, /id="health-retention">none yet/);
    assert.match(empty, /id="health-edge">not reported yet/);
    assert.match(empty, /id="health-broker">not measured yet/);
    assert.match(empty, /no data yet/);
    assert.match(empty, /no health collected yet for this customer/);
  });

  it('formats small rates with a decimal and large ones grouped', () => {
    assert.equal(formatRate(0.44), '0.4');
    assert.equal(formatRate(12.5), '13');
    assert.equal(formatRate(3200), '3,200');
  });
});

describe('line chart', () => {
  const at = (i: number, value: number | null) => ({ t: i * 1000, value });

  it('scales to the maximum and splits the line at gaps instead of drawing zeros', () => {
    const segments = chartSegments([at(0, 0), at(1, 50), at(2, null), at(3, 100), at(4, 100)], 100);
    assert.deepEqual(segments, ['0.0,120.0 150.0,60.0', '450.0,0.0 600.0,0.0']);
  });

  it('draws nothing for no values, and names what it shows for screen readers', () => {
    assert.deepEqual(chartSegments([at(0, null), at(1, null)], 0), []);
    // A lone value between gaps is a dash, not a polyline of one point (invisible).
    assert.deepEqual(chartSegments([at(0, null), at(1, 10), at(2, null)], 10), [
      '297.0,0.0 303.0,0.0',
    ]);
    assert.deepEqual(chartSegments([at(0, 10), at(1, null)], 10), ['0.0,0.0 6.0,0.0']);
    const out = lineChart({
      id: 'c',
      label: 'Lines per second',
      series: [{ name: 'lines/s', points: [at(0, 1), at(1, 2)] }],
      formatValue: (v) => `${v} lines/s`,
      startLabel: '24 h ago',
      endLabel: 'now',
    }).value;
    assert.match(out, /role="img"\s+aria-label="Lines per second"/);
    assert.match(out, /<span class="chart-max">2 lines\/s<\/span>/);
    assert.equal(out.match(/<polyline/g)?.length, 1);
    assert.doesNotMatch(out, /chart-legend/);
  });

  it('draws several series on one scale, with a legend', () => {
    const out = lineChart({
      id: 'c',
      label: 'Requests by status class',
      series: [
        { name: '2xx', points: [at(0, 10), at(1, 20)] },
        { name: '5xx', points: [at(0, 0), at(1, 5)] },
      ],
      formatValue: String,
      startLabel: '1 h ago',
      endLabel: 'now',
    }).value;
    assert.match(out, /<span class="chart-max">20<\/span>/);
    assert.match(out, /series-0[\s\S]*points="0\.0,60\.0 600\.0,0\.0"/);
    assert.match(out, /series-1[\s\S]*points="0\.0,120\.0 600\.0,90\.0"/);
    assert.match(out, /swatch series-1"><\/span>5xx/);
  });
});
