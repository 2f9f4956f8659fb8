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
import { eventually } from '../../test/support/process';
import { kafkaClusterDir } from '../../test/support/kafka-script';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, percentile, progress, publishResults } from '../support/bench-report';
import { benchMain, createBenchCustomers } from '../support/bench-runner.service';
import { DedicatedBroker } from '../support/dedicated-broker.service';
import { clockTicksPerSecond, processCpuSeconds } from '../support/process-stats.reader';
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
    const admin = kafka.admin();
    await admin.connect();
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
      await createBenchCustomers(broker.plaintext, batch);
      await scratch.db.query(
        `INSERT INTO customers (id, name, streaming_enabled) SELECT x, x, true FROM unnest($1::text[]) x`,
        [batch],
      );
      progress(`committing offsets for ${batch.length * GROUPS_PER_CUSTOMER} groups`);
      const groups = batch.flatMap((id) =>
        Array.from({ length: GROUPS_PER_CUSTOMER }, (_, g) => ({ id, groupId: `${id}.g${g}` })),
      );
      // The first commit makes the broker create __consumer_offsets (50 partitions); on a busy
      // machine that outlasts kafkajs' retries, so wait for one commit before the many.
      const first = groups[0];
      await eventually(
        () =>
          admin
            .setOffsets({
              groupId: first.groupId,
              topic: customerTopic(first.id),
              partitions: [{ partition: 0, offset: '0' }],
            })
            .then(
              () => true,
              () => undefined,
            ),
        'the group coordinator (__consumer_offsets)',
        120_000,
        1000,
      );
      for (let i = 0; i < groups.length; i += 64) {
        await Promise.all(
          groups.slice(i, i + 64).map((g) =>
            admin.setOffsets({
              groupId: g.groupId,
              topic: customerTopic(g.id),
              partitions: [{ partition: 0, offset: '0' }],
            }),
          ),
        );
      }
      created = size;
      progress(`${size} customers: warm-up collection`);
      const warm = await collector.collectOnce();
      if (warm.customers !== size || warm.groups !== size * GROUPS_PER_CUSTOMER) {
        throw new Error(
          `collected ${warm.customers} customers and ${warm.groups} groups, expected ${size} and ${size * GROUPS_PER_CUSTOMER}`,
        );
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
      };
      progress(`${size} customers: ${JSON.stringify(step)}`);
      steps.push(step);
    }
    await admin.disconnect();
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
