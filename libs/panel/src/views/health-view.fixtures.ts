import type { CustomerHealth, HealthSeries } from '@logstream/health';

/** Health answers for the view specs: what the API says before the collector saw anything. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export const emptyHealth: CustomerHealth = {
  asOf: NOW.toISOString(),
  produced: { linesPerSec: 0, bytesPerSec: null, lastLineAt: null },
  retention: { ms: null, oldestLineAt: null },
  groups: [],
  edgeDrops: { routedLines: 0, routedBytes: 0, inactive: 0, oversize: 0, nodes: 0, since: null },
  lastError: 'no health collected yet for this customer',
};

export const emptySeries: HealthSeries = {
  metric: 'producedLinesPerSec',
  stepSeconds: 600,
  from: '2026-05-31T12:00:00Z',
  to: NOW.toISOString(),
  points: [],
};
