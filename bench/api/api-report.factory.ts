import { percentile } from '../support/bench-report';
import type { OpenLoopRun, Sample } from '../support/open-loop.service';
import { EXPECTED_STATUS, MIX, OPERATIONS, type Operation } from './request-mix.factory';

export interface StepPlan {
  name: string;
  ratePerSecond: number;
  seconds: number;
  /** Whether POST credentials is in the mix (otherwise its share goes to GET customer). */
  credentials: boolean;
}

export interface LatencyFigures {
  requests: number;
  /** Answers per second over the step's wall time (first due request to last answer). */
  throughputPerSecond: number;
  errors: number;
  /** Every status seen, with its count ('200', '503', 'timeout', ...). */
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface ProcessFigures {
  /** User + system CPU seconds of the API process during the step. */
  apiCpuSeconds: number;
  /** The same per wall second: 1.0 is one core fully used. */
  apiCores: number;
  /** Largest RSS sampled (every 250 ms) during the step, and VmHWM at its end. */
  apiPeakRssMiB: number;
  apiHighWaterRssMiB: number;
  driverCpuSeconds: number;
  /** Share of the whole machine (all cores, every process) that was busy. */
  machineBusyShare: number;
}

export interface StepResult {
  plan: StepPlan;
  elapsedSeconds: number;
  maxSendLagMs: number;
  maxInFlight: number;
  overall: LatencyFigures;
  byOperation: Partial<Record<Operation, LatencyFigures & { meanBytes: number }>>;
  process: ProcessFigures;
}

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

function figures(samples: readonly Sample<Operation>[], elapsedMs: number): LatencyFigures {
  const statuses: Record<string, number> = {};
  let errors = 0;
  for (const s of samples) {
    statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    if (s.status !== EXPECTED_STATUS[s.op]) errors++;
  }
  const latencies = samples.map((s) => s.latencyMs);
  return {
    requests: samples.length,
    throughputPerSecond: round(samples.length / (elapsedMs / 1000)),
    errors,
    statuses,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    p999Ms: round(percentile(latencies, 99.9)),
    maxMs: round(latencies.reduce((a, b) => Math.max(a, b), 0)),
  };
}

export function stepResult(
  plan: StepPlan,
  run: OpenLoopRun<Operation>,
  process: ProcessFigures,
): StepResult {
  const byOperation: StepResult['byOperation'] = {};
  for (const op of OPERATIONS) {
    const mine = run.samples.filter((s) => s.op === op);
    if (mine.length === 0) continue;
    byOperation[op] = {
      ...figures(mine, run.elapsedMs),
      meanBytes: Math.round(mine.reduce((a, s) => a + s.bytes, 0) / mine.length),
    };
  }
  return {
    plan,
    elapsedSeconds: round(run.elapsedMs / 1000, 2),
    maxSendLagMs: round(run.maxSendLagMs),
    maxInFlight: run.maxInFlight,
    overall: figures(run.samples, run.elapsedMs),
    byOperation,
    process,
  };
}

function statusText(f: LatencyFigures, op?: Operation): string {
  const unexpected = Object.entries(f.statuses)
    .filter(([status]) => (op ? status !== EXPECTED_STATUS[op] : !/^2\d\d$/.test(status)))
    .map(([status, n]) => `${status}: ${n}`);
  return unexpected.length === 0 ? 'none' : unexpected.join(', ');
}

const ms = (v: number): string => `${v} ms`;

function stepMarkdown(step: StepResult): string[] {
  const { plan, overall, process: p } = step;
  const row = (name: string, share: string, f: LatencyFigures, op?: Operation): string =>
    `| ${name} | ${share} | ${f.requests} | ${f.throughputPerSecond} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${ms(f.p999Ms)} | ${ms(f.maxMs)} | ${statusText(f, op)} |`;
  const lines = [
    `### ${plan.name}: ${plan.ratePerSecond} req/s offered for ${plan.seconds} s${plan.credentials ? '' : ', without POST credentials'}`,
    '',
    '| operation | share | requests | answered/s | p50 | p99 | p99.9 | max | errors by status |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const op of OPERATIONS) {
    const f = step.byOperation[op];
    if (!f) continue;
    const share =
      !plan.credentials && op === 'GET customer'
        ? `${MIX[op] + MIX['POST credentials']}%`
        : `${MIX[op]}%`;
    lines.push(row(op, share, f, op));
  }
  lines.push(row('**all**', '100%', overall));
  lines.push(
    '',
    `API process: ${p.apiCpuSeconds} CPU-s in ${step.elapsedSeconds} s (${p.apiCores} cores), ` +
      `peak RSS ${p.apiPeakRssMiB} MiB (high-water mark ${p.apiHighWaterRssMiB} MiB). ` +
      `Load driver: ${p.driverCpuSeconds} CPU-s; whole machine ${Math.round(p.machineBusyShare * 100)}% busy. ` +
      `Driver send lag max ${ms(step.maxSendLagMs)}; at most ${step.maxInFlight} requests in flight.`,
    '',
  );
  return lines;
}

export interface CpuCosts {
  /** API CPU per request of the mix without credentials (from the step without them). */
  lightRequestCpuMs: number;
  /** Per step with credentials: its API CPU beyond the light requests', per credential issued. */
  credentialCpuMs: Array<{ step: string; credentials: number; cpuMsEach: number }>;
}

/** Splits the API's CPU between light requests and credentials, from steps with and without. */
export function cpuCosts(steps: readonly StepResult[]): CpuCosts | undefined {
  const light = steps.find((s) => !s.plan.credentials && s.overall.requests > 0);
  if (!light) return undefined;
  const lightRequestCpuMs = (light.process.apiCpuSeconds * 1000) / light.overall.requests;
  const credentialCpuMs = steps
    .filter((s) => s.plan.credentials)
    .flatMap((s) => {
      const credentials = s.byOperation['POST credentials']?.statuses['201'] ?? 0;
      if (credentials === 0) return [];
      const rest = s.overall.requests - credentials;
      const cpuMsEach = (s.process.apiCpuSeconds * 1000 - rest * lightRequestCpuMs) / credentials;
      return [{ step: s.plan.name, credentials, cpuMsEach: Math.round(cpuMsEach) }];
    });
  return { lightRequestCpuMs: round(lightRequestCpuMs, 2), credentialCpuMs };
}

function costMarkdown(costs: CpuCosts | undefined, steps: readonly StepResult[]): string[] {
  if (!costs) return [];
  const share = MIX['POST credentials'] / 100;
  return [
    '## Where the CPU goes',
    '',
    `Without credentials the API used ${costs.lightRequestCpuMs} ms of CPU per request. The rest of`,
    'the CPU of a step with credentials, shared over the credentials it issued:',
    '',
    '| step | credentials issued | API CPU per credential (estimate) | credential CPU offered per second |',
    '| --- | --- | --- | --- |',
    ...costs.credentialCpuMs.map((c) => {
      const rate = steps.find((s) => s.plan.name === c.step)?.plan.ratePerSecond ?? 0;
      return `| ${c.step} | ${c.credentials} | ${c.cpuMsEach} ms | ${round((rate * share * c.cpuMsEach) / 1000, 2)} s/s |`;
    }),
    '',
    'A credential is made synchronously on the API’s one event loop (node-forge: the RSA key pair',
    'by Node’s `generateKeyPairSync`, the certificate signature and the PKCS#12 keystore with',
    '10,000 PBKDF2 iterations in JavaScript, then the zip), so every request that arrives',
    'meanwhile waits behind it: the tail latency of all operations in the steps with credentials',
    'is that wait. When the credential work offered per second',
    'approaches one second, the event loop has no time left and the queue grows for the whole',
    'step. Moving key generation to `crypto.generateKeyPair` (libuv thread pool) and the PKCS#12',
    'to a worker thread would take it off the event loop.',
    '',
  ];
}

export interface ApiBenchReport {
  date: string;
  machine: string;
  /** A smoke run with small sizes (`--quick`). */
  quick?: boolean;
  loadAverageAtStart: number[];
  setup: {
    customers: number;
    seedSeconds: number;
    seedRequestsPerSecond: number;
    rateLimit: string;
    databasePoolSize: number;
    logLevel: string;
    maxSockets: number;
  };
  steps: StepResult[];
  cpuCosts: CpuCosts | undefined;
  checks: string[];
}

export function apiMarkdown(r: ApiBenchReport): string {
  const summary = r.steps.map(
    (s) =>
      `| ${s.plan.name} | ${s.plan.ratePerSecond} | ${s.overall.throughputPerSecond} | ${ms(s.overall.p50Ms)} | ${ms(s.overall.p99Ms)} | ${ms(s.overall.p999Ms)} | ${ms(s.overall.maxMs)} | ${s.overall.errors} | ${s.process.apiCores} | ${s.process.apiPeakRssMiB} MiB |`,
  );
  return [
    '# Control API benchmark',
    '',
    `Run ${r.date} on ${r.machine}${r.quick ? ', quick smoke run (small sizes)' : ''} (load average at start ${r.loadAverageAtStart.join(', ')}; a shared`,
    'machine: the API, PostgreSQL 15 and the load driver share its cores). Produced by `npm run bench:api`.',
    '',
    'The real control API (`dist/apps/control-api/src/main.js`) runs as its own process on a scratch',
    `database, seeded through the API with ${r.setup.customers} customers and a customer token each`,
    `(${r.setup.seedSeconds} s, ${r.setup.seedRequestsPerSecond} req/s closed-loop). The load is open-loop: request`,
    '_i_ is due at _start + i/rate_ and is sent then whether or not earlier ones have answered, so',
    'latency runs from the due time to the end of the answer and includes any queueing. Node http',
    `client, keep-alive, up to ${r.setup.maxSockets} connections. API settings: rate limit ${r.setup.rateLimit}`,
    `(far above the offered load, so it never answers 429), database pool ${r.setup.databasePoolSize},`,
    `log level ${r.setup.logLevel} (one JSON line per request, as in production). No provisioner runs:`,
    'the API only writes desired state, so Kafka plays no part in these figures.',
    '',
    'Mix: the customer panel (its own token, so every call also looks the token up) reads the',
    'customer and its streaming status and toggles streaming; an admin pages through customers',
    `(${'`'}GET /v1/customers?limit=50&after=<random id>${'`'}); a small share downloads a credentials bundle`,
    '(a new 2048-bit RSA key pair, certificate, PKCS#12 and zip per request).',
    '',
    '## Summary',
    '',
    '| step | offered req/s | answered/s | p50 | p99 | p99.9 | max | errors | API cores | API peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...summary,
    '',
    '## Steps',
    '',
    ...r.steps.flatMap(stepMarkdown),
    ...costMarkdown(r.cpuCosts, r.steps),
    '## Checks after the run',
    '',
    ...r.checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
}
