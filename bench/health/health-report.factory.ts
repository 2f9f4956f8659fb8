/** One measured size of `bench:health`. */
export interface HealthBenchStep {
  customers: number;
  groups: number;
  /** Full collections timed after a warm-up one. */
  collectionsMs: number[];
  medianMs: number;
  maxMs: number;
  /** CPU seconds of the collector (this process) per collection, user + system. */
  collectorCpuSecondsPerCollection: number;
  /** CPU seconds of the broker per collection. */
  brokerCpuSecondsPerCollection: number;
  /** Set-up of the customers added for this size (not measured as part of a collection). */
  setup: { customersAdded: number; topicsSeconds: number; offsetsSeconds: number };
}

export interface HealthBenchReport {
  date: string;
  machine: string;
  quick: boolean;
  groupsPerCustomer: number;
  targetMs: number;
  steps: HealthBenchStep[];
}

const n = (v: number) => v.toLocaleString('en');

export function healthTable(r: HealthBenchReport): string[] {
  const rows = r.steps.map(
    (s) =>
      `| ${n(s.customers)} | ${n(s.groups)} | ${Math.round(s.medianMs)} ms | ${Math.round(s.maxMs)} ms | ${s.collectorCpuSecondsPerCollection.toFixed(2)} s | ${s.brokerCpuSecondsPerCollection.toFixed(2)} s |`,
  );
  const first = r.steps[0];
  const last = r.steps[r.steps.length - 1];
  const growth =
    first && last && first !== last
      ? `From ${n(first.customers)} to ${n(last.customers)} customers (×${(last.customers / first.customers).toFixed(0)}) one collection grew ×${(last.medianMs / first.medianMs).toFixed(1)} (median).`
      : '';
  const met = last ? last.maxMs <= r.targetMs : false;
  const setups = r.steps.map(
    (s) =>
      `${n(s.setup.customersAdded)} customers added: topics until the broker serves them, registry records and rows ${s.setup.topicsSeconds} s, ${n(s.setup.customersAdded * r.groupsPerCustomer)} group offsets ${s.setup.offsetsSeconds} s`,
  );
  return [
    '| customers | groups | collection (median) | slowest | collector CPU / collection | broker CPU / collection |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    growth,
    '',
    `Target: one full collection over ${n(last?.customers ?? 0)} customers with ${r.groupsPerCustomer} groups each in at most ${r.targetMs / 1000} s: ${met ? 'met' : 'NOT met'}.`,
    '',
    `Set-up (not part of a collection): ${setups.join('; ')}.`,
  ];
}

export function healthMarkdown(r: HealthBenchReport): string {
  return [
    '# bench:health',
    '',
    `${r.date} · ${r.machine}${r.quick ? ' · --quick (smoke sizes)' : ''}`,
    '',
    'One full health collection (customers from PostgreSQL, watermarks of every customer topic, consumer groups, committed offsets, lag rules, snapshot and rollup writes) on a dedicated broker, each customer with one 1-partition topic and its groups holding committed offsets. Each size is timed over several collections after a warm-up one; CPU is user + system of the collector (this process) and of the broker, per collection.',
    '',
    ...healthTable(r),
    '',
  ].join('\n');
}
