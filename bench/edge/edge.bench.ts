/**
 * `npm run bench:edge`: the edge producer against the C floor (kcat -P, one topic) and a real
 * routing peer (rsyslog omkafka with a dynamic topic per customer), on a dedicated broker, for
 * lz4, zstd and gzip. Zipf-spread combined-format lines (~300 bytes), linger 1 s.
 * Results: <results>/edge.md and edge.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { loadPathsConfig, REPO_ROOT } from '@logstream/config';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { run } from '../../test/support/process';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, progress, publishResults } from '../support/bench-report';
import { aptInstall, benchMain, createBenchCustomers } from '../support/bench-runner.service';
import { DedicatedBroker } from '../support/dedicated-broker.service';
import { writeEdgeInputs } from './edge-input.writer';
import {
  AGAINST_BASELINE_PEER,
  BASELINE_PEER,
  CODECS,
  edgeMarkdown,
  medianResult,
  type EdgeBenchReport,
  type PeerResult,
} from './edge-report.factory';
import { runRsyslog, timedCommand } from './peer-run.service';

const LINGER_MS = 1000;
/** Unmeasured passes of the whole input through the edge producer before any measured run. */
const WARM_UP_PASSES = 2;
/** Rounds of this edge producer against a --baseline build, per codec. */
const BASELINE_ROUNDS = 5;
/** The queue bounds both sides of a --baseline comparison run with (the defaults before the memory budget). */
const BASELINE_QUEUE = '--queue-max-messages 1000000 --queue-max-mbytes 512';
/** Debian packages this benchmark runs: GNU time and rsyslog's omkafka. */
const PACKAGES = ['time', 'rsyslog-kafka'];

const SPEC: BenchSpec<'lines' | 'customers', 'baseline'> = {
  name: 'bench:edge',
  summary: `Edge producer vs kcat -P (one topic) vs rsyslog omkafka (dynamic per-customer topics):
lines/s, CPU-s per million lines and peak RSS for ${CODECS.join(', ')}, on a dedicated broker.
Installs ${PACKAGES.join(', ')} through scripts/apt.sh. Writes edge.md and edge.json.`,
  portBase: 19992,
  sizes: {
    lines: { help: 'lines per run', full: 2_000_000, quick: 100_000, min: 1000, max: 50_000_000 },
    customers: { help: 'customers (topics)', full: 1000, quick: 200, min: 1, max: 20_000 },
  },
  paths: {
    baseline:
      'a built checkout of another commit (npm run build there): its edge producer runs beside this one, same input and broker, to show a change does not regress',
  },
};

benchMain(SPEC, async (args) => {
  const { lines, customers } = args.sizes;
  await aptInstall(PACKAGES);
  const dir = path.join(loadPathsConfig().dataDir, 'bench', `edge-${args.portBase}`);
  await mkdir(dir, { recursive: true });
  const broker = new DedicatedBroker(args.portBase);
  await broker.start();
  try {
    const ids = Array.from({ length: customers }, (_, i) => `bench-${i}` as CustomerId);
    await createBenchCustomers(broker.plaintext, ids, ['bench-kcat']);
    progress(`writing ${lines.toLocaleString('en')} lines`);
    const input = await writeEdgeInputs(dir, ids, lines);
    const edgeMain = path.join(REPO_ROOT, 'dist/apps/edge-producer/src/main.js');
    const baseline = args.paths.baseline && (await baselineEdge(args.paths.baseline));
    const common = `--brokers ${broker.plaintext} --metrics-listen off --stats-interval-s 0 --linger-ms ${LINGER_MS}`;
    // A freshly started broker with freshly created partitions acknowledges slowly for its first
    // few million lines (measured: 2,000,000 lines over 1,000 topics took 23.6 s, then 16.3 s,
    // then 6.2 s): without these unmeasured passes, the first peers pay for the broker's warm-up.
    for (let pass = 1; pass <= WARM_UP_PASSES; pass++) {
      progress(
        `warming the broker up: pass ${pass} of ${WARM_UP_PASSES} through the edge producer`,
      );
      const warm = await run(
        'bash',
        ['-c', `node ${edgeMain} ${common} --compression lz4 < '${input.edge}'`],
        { timeoutMs: 600_000 },
      );
      if (warm.code !== 0) throw new Error(`warm-up failed: ${warm.stderr.slice(-2000)}`);
    }
    const results: PeerResult[] = [];
    const record = (r: PeerResult): void => {
      results.push(r);
      progress(
        `  ${r.linesPerS.toLocaleString('en')} lines/s, ${r.cpuSPerMillion} CPU-s per million lines, ${r.peakRssMiB} MiB`,
      );
    };
    for (const codec of CODECS) {
      const edgeRun = (peer = 'edge producer', flags = ''): Promise<PeerResult> =>
        timedCommand(
          peer,
          codec,
          lines,
          input.edge,
          `node ${edgeMain} ${common} --compression ${codec} ${flags}`,
        );
      progress(`edge producer, ${codec}`);
      record(await edgeRun());
      if (baseline) {
        // Alternating order over rounds, medians: a shared machine moves single runs by ~10%.
        const baseRun = (): Promise<PeerResult> =>
          timedCommand(
            `${BASELINE_PEER} at ${baseline.commit}`,
            codec,
            lines,
            input.edge,
            `node ${baseline.main} ${common} --compression ${codec} ${BASELINE_QUEUE}`,
          );
        const sameQueue = (): Promise<PeerResult> => edgeRun(AGAINST_BASELINE_PEER, BASELINE_QUEUE);
        const ours: PeerResult[] = [];
        const theirs: PeerResult[] = [];
        for (let round = 1; round <= BASELINE_ROUNDS; round++) {
          progress(`edge producer and the one at ${baseline.commit}, ${codec}, round ${round}`);
          if (round % 2) {
            ours.push(await sameQueue());
            theirs.push(await baseRun());
          } else {
            theirs.push(await baseRun());
            ours.push(await sameQueue());
          }
        }
        record(medianResult(ours));
        record(medianResult(theirs));
      }
      progress(`kcat -P, ${codec}`);
      record(
        await timedCommand(
          'kcat -P, one topic',
          codec,
          lines,
          input.bodies,
          `kcat -P -b ${broker.plaintext} -t bench-kcat -z ${codec} -X linger.ms=${LINGER_MS} -X batch.num.messages=100000 -X queue.buffering.max.messages=1000000 -X enable.idempotence=true -X acks=all`,
        ),
      );
      progress(`rsyslog omkafka, dynamic topics, ${codec}`);
      record(
        await runRsyslog({
          broker: broker.plaintext,
          input: input.edge,
          lines,
          compression: codec,
          topics: ids.map((id) => customerTopic(id)),
          workDir: path.join(dir, `rsyslog-${codec}`),
          timeoutMs: Math.max(120_000, lines / 5),
        }),
      );
    }
    const report: EdgeBenchReport = {
      date: new Date().toISOString(),
      machine: machineSummary(),
      quick: args.quick,
      customers,
      lines,
      avgLineBytes: input.avgBytes,
      lingerMs: LINGER_MS,
      baselineRounds: baseline ? BASELINE_ROUNDS : undefined,
      results,
    };
    const md = edgeMarkdown(report);
    await publishResults(args.resultsDir, 'edge', md, report);
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/** The edge producer of a baseline checkout, and the commit it was built from. */
async function baselineEdge(dir: string): Promise<{ main: string; commit: string }> {
  const main = path.join(dir, 'dist/apps/edge-producer/src/main.js');
  if (!existsSync(main)) throw new Error(`--baseline ${dir}: no ${main} (run npm run build there)`);
  const rev = await run('git', ['-C', dir, 'rev-parse', '--short', 'HEAD']);
  if (rev.code !== 0) throw new Error(`--baseline ${dir} is not a git checkout: ${rev.stderr}`);
  return { main, commit: rev.stdout.trim() };
}
