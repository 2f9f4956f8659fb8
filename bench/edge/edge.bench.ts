/**
 * `npm run bench:edge`: the edge producer against the C floor (kcat -P, one topic) and a real
 * routing peer (rsyslog omkafka with a dynamic topic per customer), on a dedicated broker, for
 * lz4, zstd and gzip. Zipf-spread combined-format lines (~300 bytes), linger 1 s.
 * Results: <results>/edge.md and edge.json.
 */
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { loadPathsConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { registryTopicSpec, tenantRecord, TenantRegistryWriter } from '@logstream/registry';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { run } from '../../test/support/process';
import { benchUsage, parseBenchArgs, type BenchSpec } from '../support/bench-args.rules';
import { failAndExit, machineSummary, progress, writeResults } from '../support/bench-report';
import { DedicatedBroker, REPO } from '../support/dedicated-broker.service';
import { writeEdgeInputs } from './edge-input.writer';
import { CODECS, edgeMarkdown, type EdgeBenchReport, type PeerResult } from './edge-report.factory';
import { runRsyslog, timedCommand } from './peer-run.service';

const LINGER_MS = 1000;
/** Debian packages this benchmark runs: GNU time and rsyslog's omkafka. */
const PACKAGES = ['time', 'rsyslog-kafka'];

const SPEC: BenchSpec<'lines' | 'customers'> = {
  name: 'bench:edge',
  summary: `Edge producer vs kcat -P (one topic) vs rsyslog omkafka (dynamic per-customer topics):
lines/s, CPU-s per million lines and peak RSS for ${CODECS.join(', ')}, on a dedicated broker.
Installs ${PACKAGES.join(', ')} through scripts/apt.sh. Writes edge.md and edge.json.`,
  portBase: 19992,
  sizes: {
    lines: { help: 'lines per run', full: 2_000_000, quick: 100_000, min: 1000, max: 50_000_000 },
    customers: { help: 'customers (topics)', full: 1000, quick: 200, min: 1, max: 20_000 },
  },
};

async function prepareBroker(broker: string, ids: CustomerId[]): Promise<void> {
  const kafka = createKafkaClient({ brokers: [broker], customerBootstrap: [], clientId: 'bench' });
  const admin = new KafkaAdminService(kafka);
  await admin.connect();
  progress(`creating ${ids.length} customer topics and registry records`);
  await admin.ensureTopic(registryTopicSpec(1));
  await Promise.all(
    [...ids.map((id) => customerTopic(id)), 'bench-kcat'].map((name) =>
      admin.ensureTopic({ name, partitions: 1, replicationFactor: 1, configs: {} }),
    ),
  );
  const registry = new TenantRegistryWriter(kafka);
  await registry.connect();
  await registry.publish(...ids.map((id) => tenantRecord(id, true, 1)));
  await registry.disconnect();
  await admin.disconnect();
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), SPEC, REPO);
  if (args.help) {
    process.stdout.write(benchUsage(SPEC));
    return;
  }
  const { lines, customers } = args.sizes;
  const apt = await run('bash', [path.join(REPO, 'scripts/apt.sh'), ...PACKAGES], {
    timeoutMs: 600_000,
  });
  if (apt.code !== 0) throw new Error(`scripts/apt.sh ${PACKAGES.join(' ')}: ${apt.stderr}`);
  const dir = path.join(loadPathsConfig().dataDir, 'bench', `edge-${args.portBase}`);
  await mkdir(dir, { recursive: true });
  const broker = new DedicatedBroker(args.portBase);
  await broker.start();
  try {
    const ids = Array.from({ length: customers }, (_, i) => `bench-${i}` as CustomerId);
    await prepareBroker(broker.plaintext, ids);
    progress(`writing ${lines.toLocaleString('en')} lines`);
    const input = await writeEdgeInputs(dir, ids, lines);
    const edgeMain = path.join(REPO, 'dist/apps/edge-producer/src/main.js');
    const common = `--brokers ${broker.plaintext} --metrics-listen off --stats-interval-s 0 --linger-ms ${LINGER_MS}`;
    const results: PeerResult[] = [];
    const record = (r: PeerResult): void => {
      results.push(r);
      progress(
        `  ${r.linesPerS.toLocaleString('en')} lines/s, ${r.cpuSPerMillion} CPU-s per million lines, ${r.peakRssMiB} MiB`,
      );
    };
    for (const codec of CODECS) {
      progress(`edge producer, ${codec}`);
      record(
        await timedCommand(
          'edge producer',
          codec,
          lines,
          input.edge,
          `node ${edgeMain} ${common} --compression ${codec}`,
        ),
      );
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
      results,
    };
    const md = edgeMarkdown(report);
    progress(`results: ${await writeResults(args.resultsDir, 'edge', md, report)}`);
    process.stdout.write(md);
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch(failAndExit);
