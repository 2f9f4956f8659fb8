/**
 * `npm run bench:credentials`: how fast the control API issues credentials (per second, CPU
 * per credential) and what that does to its other calls: the p99 of GET customer, GET streaming
 * and /healthz alone, and while credentials are being issued as fast as the machine allows.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startBenchApi } from '../support/bench-api.service';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, progress, publishResults } from '../support/bench-report';
import { benchMain } from '../support/bench-runner.service';
import {
  type HttpTarget,
  type PlannedRequest,
  runOpenLoop,
  type Sample,
  sendRequest,
} from '../support/open-loop.service';
import { clockTicksPerSecond, processCpuSeconds } from '../support/process-stats.reader';
import {
  credentialsMarkdown,
  type CredentialsBenchReport,
  latencyFigures,
  type PhaseResult,
} from './credentials-report.factory';

const SPEC: BenchSpec<'customers' | 'issuers' | 'seconds' | 'otherRate'> = {
  name: 'bench:credentials',
  summary: `Starts the built control API as its own process on a scratch PostgreSQL database, then
measures: other calls alone (open loop), credential issuing alone (closed loop), and both at
once. Writes credentials.md and credentials.json. Takes about a minute and a half.`,
  sizes: {
    customers: { help: 'customers seeded', full: 50, quick: 10, min: 1, max: 10_000 },
    issuers: { help: 'concurrent closed-loop issuers', full: 4, quick: 2, min: 1, max: 256 },
    seconds: { help: 'seconds per phase', full: 20, quick: 5, min: 1, max: 3600 },
    otherRate: { help: 'other calls per second', full: 50, quick: 20, min: 1, max: 10_000 },
  },
};

interface Issuing {
  samples: Sample[];
  stop: () => Promise<void>;
}

/** `issuers` loops, each asking for one credential after another until stopped. */
function startIssuing(target: HttpTarget, token: string, ids: string[], issuers: number): Issuing {
  const samples: Sample[] = [];
  let running = true;
  let next = 0;
  const loop = async (): Promise<void> => {
    while (running) {
      const id = ids[next++ % ids.length];
      const started = performance.now();
      const answer = await sendRequest(target, {
        op: 'POST credentials',
        method: 'POST',
        path: `/v1/customers/${id}/credentials`,
        token,
      });
      samples.push({
        op: 'POST credentials',
        status: answer.status,
        latencyMs: performance.now() - started,
        bytes: answer.body.length,
      });
    }
  };
  const loops = Array.from({ length: issuers }, () => loop());
  return {
    samples,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

benchMain(SPEC, async (args) => {
  const { customers, issuers, seconds, otherRate } = args.sizes;
  const loadAverageAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const bench = await startBenchApi('credbench', 64, {
    LOGSTREAM_CREDENTIAL_ISSUE_RATE: '100000',
    LOGSTREAM_MAX_ACTIVE_CREDENTIALS: '1000',
    LOGSTREAM_CREDENTIAL_ISSUE_CONCURRENCY: String(Math.max(8, issuers * 2)),
  });
  const { pid, port, adminToken: token, target } = bench;
  try {
    const ticks = await clockTicksPerSecond();
    const ids = Array.from({ length: customers }, (_, i) => `cred-bench-${i}`);
    for (const id of ids) {
      const res = await sendRequest(target, {
        op: 'seed',
        method: 'POST',
        path: '/v1/customers',
        token,
        body: JSON.stringify({ id, name: id }),
      });
      if (res.status !== '201') throw new Error(`seeding ${id} answered ${res.status}`);
    }
    progress(`API pid ${pid} on port ${port}; ${customers} customers seeded`);

    const others = (i: number): PlannedRequest => {
      const id = ids[i % ids.length];
      if (i % 3 === 0) return { op: 'GET /healthz', method: 'GET', path: '/healthz', token };
      return i % 3 === 1
        ? { op: 'GET customer', method: 'GET', path: `/v1/customers/${id}`, token }
        : { op: 'GET streaming', method: 'GET', path: `/v1/customers/${id}/streaming`, token };
    };
    const ok = (s: Sample) => s.status.startsWith('2');

    const phase = async (
      name: string,
      issuing: boolean,
      othersToo: boolean,
    ): Promise<PhaseResult> => {
      progress(`phase "${name}" for ${seconds} s`);
      const cpuBefore = await processCpuSeconds(pid, ticks);
      const started = performance.now();
      const issue = issuing ? startIssuing(target, token, ids, issuers) : undefined;
      let run: Sample[] = [];
      if (othersToo) run = (await runOpenLoop(target, otherRate, seconds, others)).samples;
      else await new Promise((r) => setTimeout(r, seconds * 1000));
      await issue?.stop();
      const elapsed = (performance.now() - started) / 1000;
      const cpu = (await processCpuSeconds(pid, ticks)) - cpuBefore;
      const issueSamples = issue?.samples ?? [];
      const issued = issueSamples.filter((s) => s.status === '201').length;
      const refusals: Record<string, number> = {};
      for (const s of issueSamples.filter((x) => x.status !== '201')) {
        refusals[s.status] = (refusals[s.status] ?? 0) + 1;
      }
      const healthz = run.filter((s) => s.op === 'GET /healthz');
      const rest = run.filter((s) => s.op !== 'GET /healthz');
      return {
        name,
        seconds: Math.round(elapsed * 10) / 10,
        issued,
        issuedPerSecond: Math.round((issued / elapsed) * 100) / 100,
        issueRefusals: refusals,
        issueLatency: issuing ? latencyFigures(issueSamples, (s) => s.status === '201') : undefined,
        cpuSecondsPerCredential: issued > 0 ? Math.round((cpu / issued) * 1000) / 1000 : undefined,
        apiCores: Math.round((cpu / elapsed) * 100) / 100,
        others: othersToo ? latencyFigures(rest, ok) : undefined,
        healthz: othersToo ? latencyFigures(healthz, ok) : undefined,
      };
    };

    // A short warm-up: worker threads start, the JIT and the pool settle.
    await phase('warm-up', true, true);
    const phases = [
      await phase('other calls alone', false, true),
      await phase('issuing alone', true, false),
      await phase('issuing + other calls', true, true),
    ];
    const report: CredentialsBenchReport = {
      date: new Date().toISOString(),
      machine: machineSummary(),
      loadAverageAtStart,
      setup: {
        customers,
        issuers,
        otherRatePerSecond: otherRate,
        workers: `LOGSTREAM_CREDENTIAL_WORKERS default, ${Math.max(1, os.availableParallelism() - 1)} here`,
      },
      phases,
    };
    await publishResults(args.resultsDir, 'credentials', credentialsMarkdown(report), report);
  } finally {
    await bench.close();
  }
});
