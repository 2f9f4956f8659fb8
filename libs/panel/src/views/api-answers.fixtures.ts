import type { StatsSeries, StatsTop } from '@logstream/control';
import type { CustomerHealth, HealthSeries } from '@logstream/health';

/** API answers for the view specs: what the API says before anything was collected. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export const emptyHealth: CustomerHealth = {
  asOf: NOW.toISOString(),
  produced: { linesPerSec: 0, bytesPerSec: null, lastLineAt: null },
  retention: { ms: null, oldestLineAt: null },
  groups: [],
  edgeDrops: { routedLines: 0, routedBytes: 0, inactive: 0, oversize: 0, nodes: 0, since: null },
  broker: { producedBytesPerSec: null, fetchedBytesPerSec: null },
  lastError: 'no health collected yet for this customer',
};

export const emptySeries: HealthSeries = {
  metric: 'producedLinesPerSec',
  stepSeconds: 600,
  from: '2026-05-31T12:00:00Z',
  to: NOW.toISOString(),
  points: [],
};

export const emptyTop: StatsTop = {
  customerId: 'acme',
  from: '2026-06-01T11:00:00Z',
  to: NOW.toISOString(),
  lists: { hosts: [], paths: [], clientIps: [], clientIps4xx: [] },
};

/** `requests` per minute, from an hour before NOW; 80% 2xx, 20% 4xx, visitors a tenth. */
export function statsSeries(requests: readonly number[]): StatsSeries {
  const from = NOW.getTime() - requests.length * 60_000;
  return {
    customerId: 'acme',
    from: new Date(from).toISOString(),
    to: NOW.toISOString(),
    step: '1m',
    points: requests.map((n, i) => ({
      start: new Date(from + i * 60_000).toISOString(),
      requests: n,
      bytes: n * 1000,
      statusClass: { '1xx': 0, '2xx': n * 0.8, '3xx': 0, '4xx': n * 0.2, '5xx': 0 },
      uniqueVisitors: n / 10,
      late: 0,
      unparsed: 0,
    })),
  };
}
