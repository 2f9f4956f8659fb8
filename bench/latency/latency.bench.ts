/**
 * `npm run bench:latency`: end-to-end latency, from the edge time written at the end of each
 * line to a customer's consumer, for the default profile (linger 1 s) and a low-latency one
 * (linger 50 ms), on a dedicated broker: the traffic generator at a fixed rate | the real edge
 * producer → customer topics → a node-rdkafka consumer. Results: <results>/latency.md, .json.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processEnv, REPO_ROOT } from '@logstream/config';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, progress, publishResults } from '../support/bench-report';
import { benchMain, createBenchCustomers } from '../support/bench-runner.service';
import { DedicatedBroker, recordsInTopics } from '../support/dedicated-broker.service';
import { onInterrupt } from '../support/interrupt-cleanup.service';
import { LatencyConsumer } from './latency-consumer.service';
import {
  latencyFigures,
  latencyMarkdown,
  type LatencyBenchReport,
  type LatencyProfile,
  type LatencyProfileResult,
} from './latency-report.factory';

const PROFILES: LatencyProfile[] = [
  { name: 'default', lingerMs: 1000, fetchWaitMaxMs: 500, targetP99Ms: 1500 },
  { name: 'low latency', lingerMs: 50, fetchWaitMaxMs: 10, targetP99Ms: 200 },
];
const WARM_UP_S = 3;
/** Time the edge producer gets to start and catch up with the registry before the window. */
const START_ALLOWANCE_S = 10;
const TAIL_S = 2;

const SPEC: BenchSpec<'rate' | 'seconds' | 'customers'> = {
  name: 'bench:latency',
  summary: `End-to-end latency (edge time → customer consumer), p50/p99/p99.9, for the default profile
(linger 1000 ms; target p99 < 1.5 s) and a low-latency one (linger 50 ms, consumer
fetch.wait.max.ms 10; target p99 < 200 ms), on a dedicated broker. Writes latency.md and .json.`,
  portBase: 19792,
  sizes: {
    rate: { help: 'lines per second', full: 2000, quick: 500, min: 1, max: 200_000 },
    seconds: { help: 'seconds measured per profile', full: 30, quick: 8, min: 1, max: 3600 },
    customers: { help: 'customers per profile', full: 50, quick: 20, min: 1, max: 1000 },
  },
};

/** `traffic-generator --count N | edge producer`, until the generator is done and the edge flushed. */
function runEdgePipeline(
  broker: string,
  ids: readonly CustomerId[],
  rate: number,
  count: number,
  lingerMs: number,
): Promise<void> {
  const node = process.execPath;
  const gen = path.join(REPO_ROOT, 'dist/apps/traffic-generator/src/main.js');
  const edge = path.join(REPO_ROOT, 'dist/apps/edge-producer/src/main.js');
  const script = `set -o pipefail; '${node}' '${gen}' --customers ${ids.join(',')} --rate ${rate} --count ${count} --seed 5 | '${node}' '${edge}' --brokers ${broker} --metrics-listen off --stats-interval-s 0 --node-id bench --linger-ms ${lingerMs}`;
  return new Promise((resolve, reject) => {
    // A process group of its own, so an interrupt can stop the generator and the edge with it.
    const child = spawn('bash', ['-c', script], {
      env: processEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const unregister = onInterrupt(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      unregister();
      if (code === 0) resolve();
      else reject(new Error(`generator | edge exited ${code}: ${stderr}`));
    });
  });
}

async function runProfile(
  broker: string,
  profile: LatencyProfile,
  ids: CustomerId[],
  rate: number,
  seconds: number,
): Promise<LatencyProfileResult> {
  const topics = ids.map((id) => customerTopic(id));
  const consumer = new LatencyConsumer(broker, topics, profile.fetchWaitMaxMs);
  await consumer.start();
  try {
    const count = Math.round(rate * (START_ALLOWANCE_S + WARM_UP_S + seconds + TAIL_S));
    progress(
      `${profile.name}: linger ${profile.lingerMs} ms, ${rate} lines/s, ${count.toLocaleString('en')} lines`,
    );
    const pipeline = runEdgePipeline(broker, ids, rate, count, profile.lingerMs);
    const deadline = Date.now() + 60_000;
    while (consumer.firstArrivalMs === undefined) {
      if (Date.now() > deadline) throw new Error('no line reached the consumer within 60 s');
      await Promise.race([sleep(50), pipeline]);
    }
    const from = consumer.firstArrivalMs + WARM_UP_S * 1000;
    consumer.measure(from, from + seconds * 1000);
    await pipeline;
    const produced = await recordsInTopics(broker, topics);
    const drainDeadline = Date.now() + 30_000;
    while (consumer.consumed < produced && Date.now() < drainDeadline) await sleep(100);
    const result: LatencyProfileResult = {
      ...profile,
      ...latencyFigures(consumer.samplesMs),
      measuredLines: consumer.samplesMs.length,
      producedLines: produced,
      consumedLines: consumer.consumed,
    };
    progress(
      `${profile.name}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, p99.9 ${result.p999Ms} ms over ${result.measuredLines.toLocaleString('en')} lines`,
    );
    return result;
  } finally {
    await consumer.stop();
  }
}

benchMain(SPEC, async (args) => {
  const { rate, seconds, customers } = args.sizes;
  const broker = new DedicatedBroker(args.portBase);
  await broker.start();
  try {
    const idsOf = (p: number) =>
      Array.from({ length: customers }, (_, i) => `lat${p}-${i}` as CustomerId);
    await createBenchCustomers(
      broker.plaintext,
      PROFILES.flatMap((_, p) => idsOf(p)),
    );
    const profiles: LatencyProfileResult[] = [];
    for (const [p, profile] of PROFILES.entries()) {
      profiles.push(await runProfile(broker.plaintext, profile, idsOf(p), rate, seconds));
    }
    const report: LatencyBenchReport = {
      date: new Date().toISOString(),
      machine: machineSummary(),
      quick: args.quick,
      customers,
      ratePerSecond: rate,
      warmUpSeconds: WARM_UP_S,
      measureSeconds: seconds,
      profiles,
    };
    const md = latencyMarkdown(report);
    await publishResults(args.resultsDir, 'latency', md, report);
  } finally {
    await broker.stop();
  }
});
