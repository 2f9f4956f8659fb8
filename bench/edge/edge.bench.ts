/**
 * `npm run bench:edge`: the edge producer against the C floor, on a dedicated broker (port base
 * 19992). 1,000 customers, Zipf-spread combined-format lines (~300 bytes), lz4, linger 1 s.
 *   - edge producer: stdin → routing per line → 1,000 customer topics;
 *   - kcat -P: the same line bodies to one topic (no routing: what librdkafka alone costs).
 * Each runs as its own process under GNU time: wall time, user+system CPU (all threads) and
 * peak RSS. Results: bench/results/edge.md and edge.json.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { loadPathsConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { registryTopicSpec, tenantRecord, TenantRegistryWriter } from '@logstream/registry';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { trafficSource } from '@logstream/traffic';
import { run } from '../../test/support/process';
import { machineSummary, progress, writeResults } from '../support/bench-report';

const PORT_BASE = 19992;
const BROKER = `127.0.0.1:${PORT_BASE}`;
const CUSTOMERS = 1000;
const LINES = Number(
  process.argv.find((a) => a.startsWith('--lines='))?.split('=')[1] ?? 2_000_000,
);
const REPO = path.resolve(__dirname, '../../..');

interface Measured {
  peer: string;
  lines: number;
  wallS: number;
  cpuS: number;
  linesPerS: number;
  cpuSPerMillion: number;
  peakRssMiB: number;
}

async function kafkaScript(...args: string[]): Promise<void> {
  const res = await run(
    'bash',
    [path.join(REPO, 'scripts/kafka.sh'), ...args, '--port-base', String(PORT_BASE)],
    {
      timeoutMs: 180_000,
    },
  );
  if (res.code !== 0) throw new Error(`kafka.sh ${args.join(' ')}: ${res.stderr}`);
}

/** Runs `command` under GNU time with stdin from `input`. */
async function timed(
  peer: string,
  lines: number,
  input: string,
  command: string,
): Promise<Measured> {
  const res = await run(
    'bash',
    ['-c', `/usr/bin/time -f 'TIME %e %U %S %M' ${command} < '${input}' > /dev/null`],
    { timeoutMs: 20 * 60_000 },
  );
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(res.stderr);
  if (res.code !== 0 || !m)
    throw new Error(`${peer} failed (${res.code}): ${res.stderr.slice(-2000)}`);
  const wallS = Number(m[1]);
  const cpuS = Number(m[2]) + Number(m[3]);
  return {
    peer,
    lines,
    wallS,
    cpuS,
    linesPerS: Math.round(lines / wallS),
    cpuSPerMillion: Number(((cpuS * 1e6) / lines).toFixed(2)),
    peakRssMiB: Math.round(Number(m[4]) / 1024),
  };
}

async function writeInputs(
  dir: string,
  ids: CustomerId[],
): Promise<{ edge: string; bodies: string; avgBytes: number }> {
  const edge = path.join(dir, 'edge-input.log');
  const bodies = path.join(dir, 'bodies.log');
  const next = trafficSource({ customers: ids, zipf: 1.1, unknownShare: 0, seed: 11 });
  const a = createWriteStream(edge);
  const b = createWriteStream(bodies);
  const pad = ' '.repeat(60); // lines of ~300 bytes, as the profile asks
  const now = Date.now();
  for (let i = 0; i < LINES; i++) {
    const line = `${next(now + i)}${pad}`;
    a.write(`${line}\n`);
    b.write(`${line.slice(line.indexOf(' ') + 1)}\n`);
    // Checked at the time of waiting: a stream that drained meanwhile must not be waited for.
    if (a.writableNeedDrain) await once(a, 'drain');
    if (b.writableNeedDrain) await once(b, 'drain');
  }
  await Promise.all([
    new Promise<void>((r) => a.end(() => r())),
    new Promise<void>((r) => b.end(() => r())),
  ]);
  return { edge, bodies, avgBytes: Math.round((await stat(edge)).size / LINES) };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(
      'Usage: npm run bench:edge [-- --lines=N]\nWrites bench/results/edge.md and edge.json.\n',
    );
    return;
  }
  const dir = path.join(loadPathsConfig().dataDir, 'bench', 'edge');
  await mkdir(dir, { recursive: true });
  progress(`starting a dedicated broker on port base ${PORT_BASE}`);
  await kafkaScript('start');
  try {
    const ids = Array.from({ length: CUSTOMERS }, (_, i) => `bench-${i}` as CustomerId);
    const kafka = createKafkaClient({
      brokers: [BROKER],
      customerBootstrap: [],
      clientId: 'bench',
    });
    const admin = new KafkaAdminService(kafka);
    await admin.connect();
    progress(`creating ${CUSTOMERS} customer topics and registry records`);
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

    progress(`writing ${LINES.toLocaleString('en')} lines`);
    const input = await writeInputs(dir, ids);
    const common = `--brokers ${BROKER} --metrics-listen off --stats-interval-s 0 --linger-ms 1000`;
    const results: Measured[] = [];
    for (const compression of ['lz4', 'zstd'] as const) {
      progress(`edge producer, ${compression}`);
      results.push(
        await timed(
          `edge producer (${compression})`,
          LINES,
          input.edge,
          `node ${path.join(REPO, 'dist/apps/edge-producer/src/main.js')} ${common} --compression ${compression}`,
        ),
      );
      progress(`kcat -P, ${compression}`);
      results.push(
        await timed(
          `kcat -P, one topic (${compression})`,
          LINES,
          input.bodies,
          `kcat -P -b ${BROKER} -t bench-kcat -z ${compression} -X linger.ms=1000 -X batch.num.messages=100000 -X queue.buffering.max.messages=1000000 -X enable.idempotence=true -X acks=all`,
        ),
      );
    }
    const raw = {
      date: new Date().toISOString(),
      machine: machineSummary(),
      customers: CUSTOMERS,
      lines: LINES,
      avgLineBytes: input.avgBytes,
      results,
    };
    const edgeLz4 = results[0];
    const md = [
      '# Edge producer benchmark',
      '',
      `Run ${raw.date} on ${raw.machine}; one local Kafka 3.9.1 broker on the same machine (it shares the 2 cores).`,
      `${LINES.toLocaleString('en')} lines of ~${input.avgBytes} bytes, ${CUSTOMERS} customers (Zipf 1.1), linger 1 s, idempotent, acks=all.`,
      'Wall time includes start-up, the registry catch-up and the final flush; CPU is user + system of all threads (GNU time).',
      '',
      '| peer | lines/s | CPU-s per million lines | peak RSS |',
      '| --- | --- | --- | --- |',
      ...results.map(
        (r) =>
          `| ${r.peer} | ${r.linesPerS.toLocaleString('en')} | ${r.cpuSPerMillion} | ${r.peakRssMiB} MiB |`,
      ),
      '',
      `Targets (lz4): at least 300,000 lines/s — ${edgeLz4.linesPerS >= 300_000 ? 'met' : 'NOT met'}; at most 4 CPU-s per million lines — ${edgeLz4.cpuSPerMillion <= 4 ? 'met' : 'NOT met'}.`,
      '',
      'rsyslog omkafka (dynamic per-customer topic) is not in this run yet.',
      '',
    ].join('\n');
    progress(`results: ${await writeResults('edge', md, raw)}`);
    process.stdout.write(md);
  } finally {
    await kafkaScript('stop').catch(() => undefined);
    await rm(path.join(loadPathsConfig().dataDir, 'kafka', `cluster-${PORT_BASE}`), {
      recursive: true,
      force: true,
    });
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
