import { percentile } from '../support/bench-report';
import type { Sample } from '../support/open-loop.service';

export interface LatencyFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PhaseResult {
  name: string;
  seconds: number;
  /** Credentials issued (201) in the phase, and per second. */
  issued: number;
  issuedPerSecond: number;
  /** Answers other than 201 to credential requests, by status. */
  issueRefusals: Record<string, number>;
  issueLatency?: LatencyFigures;
  /** API process CPU seconds (main thread and credential workers) per credential issued. */
  cpuSecondsPerCredential?: number;
  apiCores: number;
  /** The other API calls offered meanwhile (open loop), and /healthz among them. */
  others?: LatencyFigures;
  healthz?: LatencyFigures;
}

export interface CredentialsBenchReport {
  date: string;
  machine: string;
  loadAverageAtStart: number[];
  setup: {
    customers: number;
    issuers: number;
    otherRatePerSecond: number;
    workers: string;
  };
  phases: PhaseResult[];
}

export function latencyFigures(samples: ReadonlyArray<Sample>, ok: (s: Sample) => boolean) {
  const latencies = samples.map((s) => s.latencyMs);
  return {
    requests: samples.length,
    errors: samples.filter((s) => !ok(s)).length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

const lat = (l?: LatencyFigures) =>
  l === undefined
    ? '–'
    : `${l.p50Ms} / ${l.p99Ms} / ${l.maxMs} ms (${l.errors} errors of ${l.requests})`;

export function credentialsMarkdown(r: CredentialsBenchReport): string {
  return [
    '# Credential issuing benchmark',
    '',
    `Run ${r.date} on ${r.machine} (load average at start ${r.loadAverageAtStart.join(', ')}; a shared`,
    'machine: the API, PostgreSQL and the load driver share its cores). Produced by `npm run bench:credentials`.',
    '',
    `The real control API runs as its own process on a scratch database with ${r.setup.customers} customers; credential`,
    `limits are lifted so only the machine limits issuing. ${r.setup.issuers} closed-loop issuers each ask for one bundle after`,
    'another (a fresh 2048-bit RSA key, certificate, PKCS#12 and zip, made on the worker threads:',
    `${r.setup.workers}); meanwhile other calls (GET customer, GET streaming, GET /healthz) are offered open-loop at`,
    `${r.setup.otherRatePerSecond} req/s, latency measured from when each was due.`,
    '',
    '| phase | s | credentials/s | CPU-s per credential | API cores | issue p50 / p99 / max | other calls p50 / p99 / max | /healthz p50 / p99 / max |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...r.phases.map(
      (p) =>
        `| ${p.name} | ${p.seconds} | ${p.issuedPerSecond} | ${p.cpuSecondsPerCredential ?? '–'} | ${p.apiCores} | ${lat(p.issueLatency)} | ${lat(p.others)} | ${lat(p.healthz)} |`,
    ),
    '',
    'Refusals of credential requests (other than 201) by status: ' +
      (r.phases.map((p) => `${p.name}: ${JSON.stringify(p.issueRefusals)}`).join('; ') || 'none'),
    '',
  ].join('\n');
}
