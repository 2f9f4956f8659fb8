/**
 * `npm run bench:health`: the time and CPU of one full health collection over many customers
 * (10,000 with 2 consumer groups each), and its growth from a tenth of that. Dedicated broker
 * and scratch database.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  HealthCollector,
  HealthMetrics,
  HealthRepository,
  KafkaHealthReader,
} from '@logstream/health';
import { createKafkaClient } from '@logstream/kafka';
import { createLogger } from '@logstream/observability';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { createScratchDatabase } from '../../test/support/database';
import { randomToken } from '../../test/support/ids';
import { kafkaClusterDir } from '../../test/support/kafka-script';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, percentile, progress, publishResults } from '../support/bench-report';
import { benchMain, createBenchCustomers } from '../support/bench-runner.service';
import { DedicatedBroker } from '../support/dedicated-broker.service';
import { clockTicksPerSecond, processCpuSeconds } from '../support/process-stats.reader';
import { commitGroupOffsets, waitForTopicsServed } from './group-offsets.service';
import {
  type HealthBenchReport,
  type HealthBenchStep,
  healthMarkdown,
} from './health-report.factory';

const GROUPS_PER_CUSTOMER = 2;
const TIMED_COLLECTIONS = 3;
const TARGET_MS = 5_000;

const SPEC: BenchSpec<'customers'> = {
  name: 'bench:health',
  summary: `Time and CPU of one full health collection over many customers with ${GROUPS_PER_CUSTOMER} groups each,
at a tenth of the size and at the full size. Writes health.md and health.json.`,
  portBase: 20292,
  sizes: {
    customers: {
      help: 'customers at the full size',
      full: 10_000,
      quick: 500,
      min: 10,
      max: 50_000,
    },
  },
};

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

benchMain(SPEC, async (args) => {
  const total = args.sizes.customers;
  const sizes = [Math.max(1, Math.round(total / 10)), total];
  const broker = new DedicatedBroker(args.portBase);
  await broker.start();
  const scratch = await createScratchDatabase('bench_health');
  const kafka = createKafkaClient({
    brokers: [broker.plaintext],
    customerBootstrap: [],
    clientId: 'bench-health',
  });
  const reader = new KafkaHealthReader(kafka, 64);
  const ticks = await clockTicksPerSecond();
  const brokerPid = Number(
    (await readFile(path.join(kafkaClusterDir(args.portBase), 'node-1/kafka.pid'), 'utf8')).trim(),
  );
  const steps: HealthBenchStep[] = [];
  try {
    const run = randomToken().slice(0, 6);
    const ids = Array.from({ length: total }, (_, i) => `hb${run}-${i}` as CustomerId);
    await reader.connect();
    const collector = new HealthCollector(
      reader,
      new HealthRepository(scratch.db),
      new HealthMetrics(),
      createLogger({ app: 'bench-health', level: 'error' }),
      { maxGroupsPerCustomer: 20, retentionRiskFraction: 0.75, retentionRefreshEvery: 1_000_000 },
    );
    let created = 0;
    for (const size of sizes) {
      const batch = ids.slice(created, size);
      const setup0 = performance.now();
      await createBenchCustomers(broker.plaintext, batch);
      await scratch.db.query(
        `INSERT INTO customers (id, name, streaming_enabled) SELECT x, x, true FROM unnest($1::text[]) x`,
        [batch],
      );
      await waitForTopicsServed(
        kafka,
        batch.map((id) => customerTopic(id)),
      );
      const topicsSeconds = (performance.now() - setup0) / 1000;
      const groups = batch.flatMap((id) =>
        Array.from({ length: GROUPS_PER_CUSTOMER }, (_, g) => ({
          groupId: `${id}.g${g}`,
          topic: customerTopic(id),
          offset: 0,
        })),
      );
      progress(`committing offsets for ${groups.length} groups`);
      const offsets0 = performance.now();
      await commitGroupOffsets(kafka, groups);
      const offsetsSeconds = (performance.now() - offsets0) / 1000;
      progress(
        `set-up of ${batch.length} customers: topics (served), records ${topicsSeconds.toFixed(1)} s, group offsets ${offsetsSeconds.toFixed(1)} s`,
      );
      created = size;
      progress(`${size} customers: warm-up collection`);
      const warm = await collector.collectOnce();
      if (warm.customers !== size || warm.groups !== size * GROUPS_PER_CUSTOMER) {
        throw new Error(
          `collected ${warm.customers} customers and ${warm.groups} groups, expected ${size} and ${size * GROUPS_PER_CUSTOMER}`,
        );
      }
      // Each group as a stopped consumer leaves it: known to its coordinator, nothing to read.
      const odd = [...warm.snapshots.values()]
        .flatMap((h) => h.groups)
        .filter((g) => g.state !== 'Empty' || g.lagLines !== 0);
      if (odd.length > 0) {
        throw new Error(`${odd.length} groups not Empty at lag 0, e.g. ${JSON.stringify(odd[0])}`);
      }
      const times: number[] = [];
      const cpu0 = cpuNow();
      const broker0 = await processCpuSeconds(brokerPid, ticks);
      for (let i = 0; i < TIMED_COLLECTIONS; i++) {
        const t0 = performance.now();
        await collector.collectOnce();
        times.push(performance.now() - t0);
      }
      const cpu = (cpuNow() - cpu0) / TIMED_COLLECTIONS;
      const brokerCpu = ((await processCpuSeconds(brokerPid, ticks)) - broker0) / TIMED_COLLECTIONS;
      const step: HealthBenchStep = {
        customers: size,
        groups: size * GROUPS_PER_CUSTOMER,
        collectionsMs: times.map((t) => Math.round(t)),
        medianMs: percentile(times, 50),
        maxMs: Math.max(...times),
        collectorCpuSecondsPerCollection: Math.round(cpu * 100) / 100,
        brokerCpuSecondsPerCollection: Math.round(brokerCpu * 100) / 100,
        setup: {
          customersAdded: batch.length,
          topicsSeconds: Math.round(topicsSeconds * 10) / 10,
          offsetsSeconds: Math.round(offsetsSeconds * 10) / 10,
        },
      };
      progress(`${size} customers: ${JSON.stringify(step)}`);
      steps.push(step);
    }
  } finally {
    await reader.close();
    await scratch.drop();
    await broker.stop();
  }
  const report: HealthBenchReport = {
    date: new Date().toISOString(),
    machine: machineSummary(),
    quick: args.quick,
    groupsPerCustomer: GROUPS_PER_CUSTOMER,
    targetMs: TARGET_MS,
    steps,
  };
  await publishResults(args.resultsDir, 'health', healthMarkdown(report), report);
});
