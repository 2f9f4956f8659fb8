/**
 * `npm run bench:api`: the control API under a fixed, open-loop request rate with a realistic
 * mix, as a separate process on a scratch database. Per operation and overall: throughput,
 * p50/p99/p99.9/max latency, errors by status; the API process's CPU and peak RSS.
 */
import * as os from 'node:os';
import type { ScratchDatabase } from '../../test/support/database';
import { startBenchApi } from '../support/bench-api.service';
import { benchUsage, parseBenchArgs, type BenchSpec } from '../support/bench-args.rules';
import { failAndExit, machineSummary, progress, publishResults } from '../support/bench-report';
import { REPO_ROOT } from '@logstream/config';
import {
  type HttpTarget,
  type PlannedRequest,
  runOpenLoop,
  sendRequest,
} from '../support/open-loop.service';
import {
  busyShare,
  clockTicksPerSecond,
  machineCpu,
  processCpuSeconds,
  processMemory,
} from '../support/process-stats.reader';
import {
  apiMarkdown,
  type ApiBenchReport,
  cpuCosts,
  type StepPlan,
  stepResult,
  type StepResult,
} from './api-report.factory';
import { type Operation, RequestMix, type SeededCustomer } from './request-mix.factory';

const SPEC: BenchSpec<'customers' | 'stepSeconds'> = {
  name: 'bench:api',
  summary: `Starts the built control API as its own process on a scratch PostgreSQL database, seeds
customers through it, then offers an open-loop mix of requests at fixed rates: 200 req/s,
500 req/s, and 500 req/s without credentials, after a warm-up. Writes api.md and api.json.
Takes about two minutes.`,
  sizes: {
    customers: { help: 'customers seeded', full: 1000, quick: 200, min: 10, max: 100_000 },
    stepSeconds: { help: 'seconds per rate step', full: 30, quick: 8, min: 1, max: 3600 },
  },
};
const ARGS = parseBenchArgs(process.argv.slice(2), SPEC, REPO_ROOT);
const CUSTOMERS = ARGS.sizes.customers;
const SEED_CONCURRENCY = 16;
const MAX_SOCKETS = 256;
const RATE_LIMIT = 1_000_000;
const RATE_WINDOW_MS = 60_000;
const DATABASE_POOL_SIZE = 10;
const LOG_LEVEL = 'info';
const MIX_SEED = 20_260_701;

/** Not recorded: lets the JIT, the connection pool and PostgreSQL's caches settle. */
const WARM_UP: StepPlan = {
  name: 'warm-up',
  ratePerSecond: 100,
  seconds: ARGS.quick ? 3 : 5,
  credentials: true,
};
const STEP_SECONDS = ARGS.sizes.stepSeconds;
const STEPS: StepPlan[] = [
  { name: 'step 1', ratePerSecond: 200, seconds: STEP_SECONDS, credentials: true },
  { name: 'step 2', ratePerSecond: 500, seconds: STEP_SECONDS, credentials: true },
  { name: 'step 3', ratePerSecond: 500, seconds: STEP_SECONDS, credentials: false },
];

const MiB = 2 ** 20;

/** Runs `work` over `items` with at most `concurrency` at a time. */
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function seed(target: HttpTarget, adminToken: string): Promise<SeededCustomer[]> {
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  const customers: SeededCustomer[] = [];
  const expect = async (planned: PlannedRequest, status: string): Promise<Buffer> => {
    const answer = await sendRequest(target, planned);
    if (answer.status !== status) {
      throw new Error(
        `${planned.method} ${planned.path} answered ${answer.status}: ${answer.body.toString()}`,
      );
    }
    return answer.body;
  };
  await inParallel(ids, SEED_CONCURRENCY, async (id) => {
    const base = { op: 'seed', token: adminToken };
    await expect(
      {
        ...base,
        method: 'POST',
        path: '/v1/customers',
        body: JSON.stringify({ id, name: `Bench ${id}` }),
      },
      '201',
    );
    const issued = await expect(
      { ...base, method: 'POST', path: `/v1/customers/${id}/tokens` },
      '201',
    );
    customers.push({ id, token: (JSON.parse(issued.toString()) as { token: string }).token });
  });
  return customers.sort((a, b) => a.id.localeCompare(b.id));
}

async function runStep(
  step: StepPlan,
  target: HttpTarget,
  mix: RequestMix,
  apiPid: number,
  ticks: number,
): Promise<StepResult> {
  progress(
    `${step.name}: ${step.ratePerSecond} req/s for ${step.seconds} s${step.credentials ? '' : ' (no credentials)'}`,
  );
  const cpuBefore = await processCpuSeconds(apiPid, ticks);
  const machineBefore = await machineCpu();
  const driverBefore = process.cpuUsage();
  let peakRss = (await processMemory(apiPid)).rssBytes;
  const sampler = setInterval(() => {
    processMemory(apiPid).then(
      (m) => (peakRss = Math.max(peakRss, m.rssBytes)),
      () => undefined,
    );
  }, 250);
  const run = await runOpenLoop<Operation>(target, step.ratePerSecond, step.seconds, () =>
    mix.next(step.credentials),
  );
  clearInterval(sampler);
  const driver = process.cpuUsage(driverBefore);
  const memory = await processMemory(apiPid);
  const apiCpuSeconds = (await processCpuSeconds(apiPid, ticks)) - cpuBefore;
  const result = stepResult(step, run, {
    apiCpuSeconds: Math.round(apiCpuSeconds * 100) / 100,
    apiCores: Math.round((apiCpuSeconds / (run.elapsedMs / 1000)) * 100) / 100,
    apiPeakRssMiB: Math.round(Math.max(peakRss, memory.rssBytes) / MiB),
    apiHighWaterRssMiB: Math.round(memory.peakRssBytes / MiB),
    driverCpuSeconds: Math.round(((driver.user + driver.system) / 1e6) * 100) / 100,
    machineBusyShare: Math.round(busyShare(machineBefore, await machineCpu()) * 100) / 100,
  });
  const o = result.overall;
  progress(
    `${step.name}: ${o.throughputPerSecond} answered/s, p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms, max ${o.maxMs} ms, ${o.errors} errors, API ${result.process.apiCores} cores`,
  );
  return result;
}

/** What the database says after the run, against what the API answered (warm-up included). */
async function checks(db: ScratchDatabase, steps: StepResult[]): Promise<string[]> {
  const answered = (op: Operation, status: string): number =>
    steps.reduce((n, s) => n + (s.byOperation[op]?.statuses[status] ?? 0), 0);
  const [row] = await db.db.query<Array<{ customers: string; credentials: string }>>(
    `SELECT (SELECT count(*) FROM customers) AS customers,
            (SELECT count(*) FROM credentials) AS credentials`,
  );
  return [
    `${row.customers} customers in the database (${CUSTOMERS} seeded).`,
    `${row.credentials} credentials in the database; ${answered('POST credentials', '201')} POST credentials answered 201 (warm-up included).`,
  ];
}

async function main(): Promise<void> {
  if (ARGS.help) {
    process.stdout.write(benchUsage(SPEC));
    return;
  }
  const loadAverageAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const bench = await startBenchApi('apibench', MAX_SOCKETS, {
    LOGSTREAM_DATABASE_POOL_SIZE: String(DATABASE_POOL_SIZE),
    LOGSTREAM_API_RATE_LIMIT: String(RATE_LIMIT),
    // One admin token sends the admin share of the mix: its own limit must not bite either.
    LOGSTREAM_API_PRINCIPAL_RATE_LIMIT: String(RATE_LIMIT),
    LOGSTREAM_API_RATE_WINDOW_MS: String(RATE_WINDOW_MS),
    LOGSTREAM_LOG_LEVEL: LOG_LEVEL,
  });
  const { api, pid, port, adminToken, target, db } = bench;
  try {
    progress(`API pid ${pid} on port ${port}; seeding ${CUSTOMERS} customers and their tokens`);
    const seedStart = Date.now();
    const customers = await seed(target, adminToken);
    const seedSeconds = (Date.now() - seedStart) / 1000;
    const mix = new RequestMix(customers, adminToken, MIX_SEED);
    const ticks = await clockTicksPerSecond();
    const warmUp = await runStep(WARM_UP, target, mix, pid, ticks);
    const steps: StepResult[] = [];
    for (const step of STEPS) {
      steps.push(await runStep(step, target, mix, pid, ticks));
      if (!api.running) throw new Error(`the API died:\n${api.raw.slice(-20).join('\n')}`);
    }
    const report: ApiBenchReport = {
      date: new Date().toISOString(),
      machine: machineSummary(),
      quick: ARGS.quick,
      loadAverageAtStart,
      setup: {
        customers: CUSTOMERS,
        seedSeconds: Math.round(seedSeconds * 10) / 10,
        seedRequestsPerSecond: Math.round((2 * CUSTOMERS) / seedSeconds),
        rateLimit: `${RATE_LIMIT.toLocaleString('en')} requests per ${RATE_WINDOW_MS / 1000} s per client address`,
        databasePoolSize: DATABASE_POOL_SIZE,
        logLevel: LOG_LEVEL,
        maxSockets: MAX_SOCKETS,
      },
      steps,
      cpuCosts: cpuCosts(steps),
      checks: await checks(db, [warmUp, ...steps]),
    };
    const md = apiMarkdown(report);
    await publishResults(ARGS.resultsDir, 'api', md, report);
  } finally {
    await bench.close();
  }
}

main().catch(failAndExit);
