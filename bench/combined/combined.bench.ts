/**
 * `npm run bench`: every benchmark, one after another (they would disturb each other's figures
 * on a shared machine), then ONE report: <results>/report.md, report.json and
 * report-throughput.png (gnuplot, Debian's gnuplot-nox). Each benchmark also keeps its own
 * <name>.md and <name>.json. A failed benchmark is reported and the others still run.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { processEnv, REPO_ROOT } from '@logstream/config';
import { run } from '../../test/support/process';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, progress, publishResults } from '../support/bench-report';
import { aptInstall, benchMain } from '../support/bench-runner.service';
import {
  type BenchName,
  BENCHES,
  type BenchOutcome,
  combinedMarkdown,
  type CombinedReport,
} from './combined-report.factory';
import { throughputPlotScript } from './throughput-plot.factory';

const PLOT = 'report-throughput.png';
/** Offsets from --port-base, so each benchmark's broker has ports of its own. */
const PORT_OFFSETS: Partial<Record<BenchName, number>> = {
  edge: 0,
  latency: 300,
  provision: 600,
  stats: 900,
  archive: 1200,
  health: 1500,
};
const TIMEOUT_MINUTES: Record<BenchName, number> = {
  edge: 30,
  latency: 10,
  provision: 30,
  api: 10,
  credentials: 10,
  health: 40,
  panel: 10,
  stats: 10,
  archive: 20,
};

const SPEC: BenchSpec<never> = {
  name: 'bench',
  summary: `Runs ${BENCHES.map((b) => `bench:${b}`).join(', ')} one after another and writes one report:
report.md, report.json and ${PLOT} (lines/s and CPU per million lines by peer and codec).
A full run takes about 20 minutes on 2 cores; --quick 3 to 5.`,
  portBase: 0,
  portBaseHelp:
    'brokers on P (edge), P+300 (latency), P+600 (provision), P+900 (stats), P+1200 (archive), P+1500 (health); default: their own',
  sizes: {},
};

function runBench(name: BenchName, args: string[]): Promise<string | undefined> {
  const entry = path.join(REPO_ROOT, 'dist/bench', name, `${name}.bench.js`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], {
      env: processEnv(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // SIGINT lets the benchmark stop its broker and clean up (see DedicatedBroker).
    const timer = setTimeout(() => child.kill('SIGINT'), TIMEOUT_MINUTES[name] * 60_000);
    child.on('error', (err) => resolve(err.message));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `exit ${code ?? signal}`);
    });
  });
}

async function readFresh<T>(dir: string, name: BenchName, since: string): Promise<T | undefined> {
  try {
    const raw = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')) as T & {
      date?: string;
    };
    return raw.date !== undefined && raw.date >= since ? raw : undefined;
  } catch {
    return undefined;
  }
}

benchMain(SPEC, async (args) => {
  await aptInstall(['gnuplot-nox']);
  const startedAt = new Date().toISOString();
  const started = Date.now();
  const report: CombinedReport = {
    date: startedAt,
    machine: machineSummary(),
    quick: args.quick,
    totalSeconds: 0,
    runs: [],
  };
  for (const [i, name] of BENCHES.entries()) {
    progress(`=== ${i + 1}/${BENCHES.length}: bench:${name}${args.quick ? ' --quick' : ''} ===`);
    const benchArgs = ['--results-dir', args.resultsDir, ...(args.quick ? ['--quick'] : [])];
    const offset = PORT_OFFSETS[name];
    if (args.portBase > 0 && offset !== undefined) {
      benchArgs.push('--port-base', String(args.portBase + offset));
    }
    const t0 = Date.now();
    const since = new Date().toISOString();
    let error = await runBench(name, benchArgs);
    const outcome: BenchOutcome = { name, seconds: Math.round((Date.now() - t0) / 1000) };
    if (error === undefined) {
      const figures = await readFresh<never>(args.resultsDir, name, since);
      if (figures === undefined) error = `no fresh ${name}.json in ${args.resultsDir}`;
      else Object.assign(report, { [name]: figures });
    }
    if (error !== undefined) {
      outcome.error = error;
      progress(`bench:${name} failed (${error}); going on with the others`);
    }
    report.runs.push(outcome);
  }
  if (report.edge) {
    const plotPath = path.join(args.resultsDir, PLOT);
    const res = await run('gnuplot', [], {
      input: throughputPlotScript(
        report.edge.results,
        plotPath,
        `Edge peers, ${report.edge.lines.toLocaleString('en')} lines, ${report.edge.customers} customers${args.quick ? ' (quick run)' : ''}`,
      ),
      timeoutMs: 60_000,
    });
    if (res.code === 0) report.plot = PLOT;
    else progress(`gnuplot failed: ${res.stderr}`);
  }
  report.totalSeconds = Math.round((Date.now() - started) / 1000);
  const md = combinedMarkdown(report);
  await publishResults(args.resultsDir, 'report', md, report);
  if (report.runs.some((r) => r.error !== undefined)) process.exitCode = 1;
});
