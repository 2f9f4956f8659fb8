import type { ApiBenchReport } from '../api/api-report.factory';
import type { CredentialsBenchReport } from '../credentials/credentials-report.factory';
import { type ArchiveBenchReport, archiveTables } from '../archive/archive-report.factory';
import type { PanelBenchReport } from '../panel/panel-report.factory';
import { statsMarkdown, type StatsBenchReport } from '../stats/stats-report.factory';
import {
  EDGE_NOTES,
  type EdgeBenchReport,
  edgeTargetLine,
  peerTable,
} from '../edge/edge-report.factory';
import { type HealthBenchReport, healthTable } from '../health/health-report.factory';
import { type LatencyBenchReport, latencyTable } from '../latency/latency-report.factory';

/** What the combined report reads of provision.json. */
export interface ProvisionSummary {
  enable: {
    customers: number;
    ratePerSecond: number;
    toConsumableMs: { p50: number; p99: number; max: number };
  };
  bulk: { customers: number; totalMs: number; perSecond: number };
}

export const BENCHES = [
  'edge',
  'latency',
  'provision',
  'api',
  'credentials',
  'panel',
  'stats',
  'archive',
  'health',
] as const;
export type BenchName = (typeof BENCHES)[number];

export interface BenchOutcome {
  name: BenchName;
  seconds: number;
  /** Undefined when the benchmark finished and wrote its results. */
  error?: string;
}

export interface CombinedReport {
  date: string;
  machine: string;
  quick: boolean;
  totalSeconds: number;
  runs: BenchOutcome[];
  /** File name of the throughput plot, beside the report; undefined when none was drawn. */
  plot?: string;
  edge?: EdgeBenchReport;
  latency?: LatencyBenchReport;
  provision?: ProvisionSummary;
  api?: ApiBenchReport;
  credentials?: CredentialsBenchReport;
  archive?: ArchiveBenchReport;
  health?: HealthBenchReport;
  panel?: PanelBenchReport;
  stats?: StatsBenchReport;
}

const ms = (v: number) => `${Math.round(v)} ms`;

function missing(r: CombinedReport, name: BenchName): string[] {
  const run = r.runs.find((x) => x.name === name);
  return [run?.error ? `Not measured: \`bench:${name}\` failed: ${run.error}` : 'Not run.', ''];
}

function edgeSection(r: CombinedReport): string[] {
  const e = r.edge;
  if (!e) return missing(r, 'edge');
  return [
    `${e.lines.toLocaleString('en')} lines of ~${e.avgLineBytes} bytes, ${e.customers.toLocaleString('en')} customers (Zipf 1.1), linger ${e.lingerMs} ms, idempotent, acks=all, on a dedicated broker.`,
    '',
    ...peerTable(e.results),
    '',
    edgeTargetLine(e.results),
    '',
    ...(r.plot ? [`![lines/s and CPU-s per million lines by peer and codec](${r.plot})`, ''] : []),
    ...EDGE_NOTES,
    '',
  ];
}

function latencySection(r: CombinedReport): string[] {
  const l = r.latency;
  if (!l) return missing(r, 'latency');
  return [
    `Traffic generator at ${l.ratePerSecond.toLocaleString('en')} lines/s over ${l.customers} customers | the real edge producer → customer topics → a node-rdkafka consumer; latency = arrival at the consumer − the edge time (ms) that ends each line; ${l.warmUpSeconds} s warm-up, ${l.measureSeconds} s measured per profile.`,
    '',
    ...latencyTable(l.profiles),
    '',
  ];
}

function provisionSection(r: CombinedReport): string[] {
  const p = r.provision;
  if (!p) return missing(r, 'provision');
  const c = p.enable.toConsumableMs;
  return [
    '| measure | figure |',
    '| --- | ---: |',
    `| enable → consumable p50 (${p.enable.customers} customers at ${p.enable.ratePerSecond}/s) | ${ms(c.p50)} |`,
    `| enable → consumable p99 (target < 3000 ms: ${c.p99 < 3000 ? 'met' : 'NOT met'}) | ${ms(c.p99)} |`,
    `| enable → consumable max | ${ms(c.max)} |`,
    `| reconcile ${p.bulk.customers.toLocaleString('en')} customers from scratch | ${(p.bulk.totalMs / 1000).toFixed(1)} s (${Math.round(p.bulk.perSecond)} customers/s) |`,
    '',
  ];
}

function healthSection(r: CombinedReport): string[] {
  const h = r.health;
  if (!h) return missing(r, 'health');
  return [...healthTable(h), ''];
}

function apiSection(r: CombinedReport): string[] {
  const a = r.api;
  if (!a) return missing(r, 'api');
  return [
    `Open-loop mix on the real control API (${a.setup.customers.toLocaleString('en')} customers seeded); latency from when each request was due.`,
    '',
    '| step | offered req/s | answered/s | p50 | p99 | p99.9 | errors | API cores |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...a.steps.map(
      (s) =>
        `| ${s.plan.name}${s.plan.credentials ? '' : ' (no credentials)'} | ${s.plan.ratePerSecond} | ${s.overall.throughputPerSecond} | ${ms(s.overall.p50Ms)} | ${ms(s.overall.p99Ms)} | ${ms(s.overall.p999Ms)} | ${s.overall.errors} | ${s.process.apiCores} |`,
    ),
    '',
  ];
}

function credentialsSection(r: CombinedReport): string[] {
  const c = r.credentials;
  if (!c) return missing(r, 'credentials');
  return [
    `${c.setup.issuers} closed-loop issuers on the real control API; other calls open-loop at ${c.setup.otherRatePerSecond} req/s.`,
    '',
    '| phase | credentials/s | CPU-s per credential | other calls p99 | /healthz p99 |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...c.phases.map(
      (p) =>
        `| ${p.name} | ${p.issuedPerSecond} | ${p.cpuSecondsPerCredential ?? '–'} | ${p.others ? ms(p.others.p99Ms) : '–'} | ${p.healthz ? ms(p.healthz.p99Ms) : '–'} |`,
    ),
    '',
  ];
}

function panelSection(r: CombinedReport): string[] {
  const p = r.panel;
  if (!p) return missing(r, 'panel');
  const o = p.overall;
  return [
    `Panel routes (pages, htmx fragments, the switch, assets) with session cookies, open loop at ${p.setup.ratePerSecond} req/s for ${p.setup.seconds} s; target p99 under ${p.targetP99Ms} ms: **${p.met ? 'met' : 'NOT met'}**.`,
    '',
    '| answered/s | p50 | p99 | max | errors |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${o.throughputPerSecond} | ${ms(o.p50Ms)} | ${ms(o.p99Ms)} | ${ms(o.maxMs)} | ${o.errors} |`,
    '',
  ];
}

function archiveSection(r: CombinedReport): string[] {
  return r.archive ? archiveTables(r.archive) : missing(r, 'archive');
}

const SECTIONS: Array<[string, (r: CombinedReport) => string[]]> = [
  ['Edge producer vs kcat -P vs rsyslog omkafka', edgeSection],
  ['End-to-end latency (edge → customer consumer)', latencySection],
  ['Provisioning', provisionSection],
  ['Control API', apiSection],
  ['Credential issuing', credentialsSection],
  ['Delivery health collection', healthSection],
  ['Customer panel', panelSection],
  ['Statistics (aggregator)', statsSection],
  ['Archive (Kafka → customer S3 bucket)', archiveSection],
];

function statsSection(r: CombinedReport): string[] {
  if (!r.stats) return missing(r, 'stats');
  // The benchmark's own report, less its title and run line.
  return statsMarkdown(r.stats).split('\n').slice(4);
}

export function combinedMarkdown(r: CombinedReport): string {
  const minutes = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return [
    '# Logstream benchmarks',
    '',
    `\`npm run bench${r.quick ? ' -- --quick' : ''}\`, ${r.date}, on ${r.machine}${r.quick ? '. **Quick smoke run: small sizes, figures are not representative.**' : '.'}`,
    'Every benchmark runs its programs as real processes against a real Kafka 3.9.1 broker and PostgreSQL on the same machine, so they share its cores.',
    `Raw figures: \`report.json\` (and each benchmark's own \`<name>.json\`). The run took ${minutes(r.totalSeconds)}.`,
    '',
    '| benchmark | time | result |',
    '| --- | ---: | --- |',
    ...r.runs.map(
      (x) => `| \`bench:${x.name}\` | ${minutes(x.seconds)} | ${x.error ? 'FAILED' : 'ok'} |`,
    ),
    '',
    ...SECTIONS.flatMap(([title, section]) => [`## ${title}`, '', ...section(r)]),
  ].join('\n');
}
