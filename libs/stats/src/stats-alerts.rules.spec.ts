import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipsWithAtLeast4xx, serverErrorShare, serverErrorShareOver } from './stats-alerts.rules';
import type { RollupView } from './stats-query.rules';

function minute(
  ips4xx: Array<[string, number, number]>,
  requests: number,
  e5xx: number,
): RollupView {
  return {
    windowStart: new Date(0),
    requests,
    bytes: 0,
    status: {},
    statusClass: { '1xx': 0, '2xx': requests - e5xx, '3xx': 0, '4xx': 0, '5xx': e5xx },
    hll: '',
    hllPrecision: 14,
    late: 0,
    unparsed: 0,
    top: {
      clientIps4xx: {
        entries: ips4xx.map(([key, count, error]) => ({ key, count, error })),
        maxError: 0,
      },
    },
  };
}

describe('alert rule functions over the rollups', () => {
  it('finds IPs whose 4xx lower bound over the window reaches N', () => {
    const rows = [
      minute(
        [
          ['1.1.1.1', 30, 0],
          ['2.2.2.2', 20, 15],
        ],
        100,
        0,
      ),
      minute([['1.1.1.1', 25, 5]], 100, 0),
    ];
    assert.deepEqual(ipsWithAtLeast4xx(rows, 50), [{ ip: '1.1.1.1', atLeast: 50, atMost: 55 }]);
    assert.deepEqual(ipsWithAtLeast4xx(rows, 51), []);
  });

  it('computes the 5xx share exactly and compares it', () => {
    const rows = [minute([], 100, 3), minute([], 300, 9)];
    assert.deepEqual(serverErrorShare(rows), { requests: 400, serverErrors: 12, percent: 3 });
    assert.equal(serverErrorShareOver(rows, 2.9), true);
    assert.equal(serverErrorShareOver(rows, 3), false);
    assert.equal(serverErrorShareOver([], 0), false);
  });
});
