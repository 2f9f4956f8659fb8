import { percentile } from '../support/bench-report';
import type { OpenLoopRun } from '../support/open-loop.service';

export const PANEL_OPERATIONS = [
  'page',
  'streaming fragment',
  'credentials fragment',
  'health fragment',
  'traffic fragment',
  'switch streaming',
  'asset',
] as const;
export type PanelOperation = (typeof PANEL_OPERATIONS)[number];

export interface PanelLatency {
  requests: number;
  /** Answers other than the expected status, by status. */
  errors: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PanelBenchReport {
  date: string;
  machine: string;
  quick: boolean;
  setup: { customers: number; credentialsEach: number; ratePerSecond: number; seconds: number };
  /** p99 of every panel answer must stay under this. */
  targetP99Ms: number;
  overall: PanelLatency & { throughputPerSecond: number; maxSendLagMs: number };
  byOperation: Partial<Record<PanelOperation, PanelLatency>>;
  met: boolean;
}

const round = (n: number) => Math.round(n * 10) / 10;

function latency(
  samples: OpenLoopRun<PanelOperation>['samples'],
  expected: (op: PanelOperation) => string,
): PanelLatency {
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const ms = samples.map((s) => s.latencyMs);
  return {
    requests: samples.length,
    errors: samples.filter((s) => s.status !== expected(s.op)).length,
    statuses,
    p50Ms: round(percentile(ms, 50)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(Math.max(...ms)),
  };
}

/** The run's figures: overall and per operation; met when p99 < target and nothing failed. */
export function panelReport(
  run: OpenLoopRun<PanelOperation>,
  setup: PanelBenchReport['setup'],
  targetP99Ms: number,
  expected: (op: PanelOperation) => string,
  meta: Pick<PanelBenchReport, 'date' | 'machine' | 'quick'>,
): PanelBenchReport {
  const byOperation: PanelBenchReport['byOperation'] = {};
  for (const op of PANEL_OPERATIONS) {
    const mine = run.samples.filter((s) => s.op === op);
    if (mine.length > 0) byOperation[op] = latency(mine, expected);
  }
  const overall = {
    ...latency(run.samples, expected),
    throughputPerSecond: round(run.samples.length / (run.elapsedMs / 1000)),
    maxSendLagMs: round(run.maxSendLagMs),
  };
  return {
    ...meta,
    setup,
    targetP99Ms,
    overall,
    byOperation,
    met: overall.p99Ms < targetP99Ms && overall.errors === 0,
  };
}

export function panelMarkdown(r: PanelBenchReport): string {
  const row = (name: string, l: PanelLatency) =>
    `| ${name} | ${l.requests} | ${l.p50Ms} | ${l.p99Ms} | ${l.maxMs} | ${l.errors} |`;
  return [
    `# Customer panel under load${r.quick ? ' (quick run)' : ''}`,
    '',
    `${r.date}, ${r.machine}. The built control API as its own process on a scratch database;`,
    `${r.setup.customers} customers signed in (one panel session each, ${r.setup.credentialsEach} credentials each),`,
    `an open-loop mix of panel requests at ${r.setup.ratePerSecond} req/s for ${r.setup.seconds} s, each with its`,
    'session cookie (state-changing ones with Origin and the CSRF token, as a browser sends them).',
    'Latency counts from when a request was due, so queueing counts.',
    '',
    `Target: p99 under ${r.targetP99Ms} ms with no error: **${r.met ? 'met' : 'NOT met'}** (p99 ${r.overall.p99Ms} ms, ${r.overall.errors} errors, ${r.overall.throughputPerSecond} answered/s).`,
    '',
    '| operation | requests | p50 ms | p99 ms | max ms | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.byOperation).map(([op, l]) => row(op, l)),
    row('**all**', r.overall),
    '',
  ].join('\n');
}
