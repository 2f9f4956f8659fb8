import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trafficModel } from '../panel-models.factory';
import { emptyTop, statsSeries } from './api-answers.fixtures';
import { trafficBlock } from './traffic.view';

describe('traffic block', () => {
  it('adds up the hour, shows status shares, the busiest minute of visitors and top lists', () => {
    const top = {
      ...emptyTop,
      lists: {
        ...emptyTop.lists,
        hosts: Array.from({ length: 8 }, (_, i) => ({
          key: `h${i}.example`,
          count: 100 - i,
          error: 0,
        })),
        paths: [{ key: '/<script>', count: 7, error: 1 }],
      },
    };
    const m = trafficModel('acme', statsSeries([100, 300, 0, 600]), top);
    assert.equal(m.totals.requests, 1000);
    assert.equal(m.totals.uniqueVisitors, 60);
    const out = trafficBlock(m).value;
    assert.match(out, /id="traffic-requests">1,000</);
    assert.match(out, /id="traffic-bytes">1\.0 MB</);
    assert.match(out, /id="traffic-visitors">60</);
    assert.match(out, /id="traffic-2xx">80\.0%</);
    assert.match(out, /id="traffic-4xx">20\.0%</);
    assert.match(out, /id="traffic-5xx">0%</);
    assert.equal(out.match(/<li>\s*<code/g)?.length, 5 + 1, 'five hosts at most, and the one path');
    assert.match(out, /\/&lt;script&gt;/);
    assert.ok(!out.includes('<script>'));
    assert.match(out, /hx-get="\/panel\/customers\/acme\/stats"\s+hx-trigger="every 60s"/);
    // One scale for the classes: the busiest minute's 2xx (480 of 600).
    assert.match(out, /id="traffic-chart"[\s\S]*?chart-max">480 requests\/min</);
    assert.equal(out.match(/chart-line series-\d/g)?.length, 4 + 1 + 1);
    assert.match(out, /id="traffic-bytes-chart"[\s\S]*?chart-max">600\.0 kB\/min</);
    assert.match(out, /id="traffic-visitors-chart"[\s\S]*?chart-max">60 visitors\/min</);
  });

  it('says so when nothing was counted yet', () => {
    const out = trafficBlock(trafficModel('acme', statsSeries([]), emptyTop)).value;
    assert.match(out, /id="traffic-requests">0</);
    assert.match(out, /id="traffic-2xx">0%</);
    assert.equal(out.match(/none yet/g)?.length, 2);
    assert.match(out, /no data yet/);
  });
});
