/**
 * `npm run bench:stats`: (1) parse + aggregate throughput of libs/stats on one core (lines/s,
 * CPU-seconds per million lines), in this process, from Buffers as the consumer hands them;
 * (2) the delay from a window's end to its final record in `cdn-stats.<id>`, p50/p99, with the
 * real aggregator process on a dedicated broker under live traffic.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { customerStatsTopicSpec, customerTopicSpec } from '@logstream/provisioning';
import {
  compileLogFormat,
  CustomerStats,
  DEFAULT_SKETCH_OPTIONS,
  GRANULARITY_MS,
  type StatsRecord,
} from '@logstream/stats';
import { customerStatsTopic, customerTopic, type CustomerId } from '@logstream/tenancy';
import { knownTrafficSource } from '@logstream/traffic';
import { AppProcess } from '../../test/support/app-process';
import type { BenchSpec } from '../support/bench-args.rules';
import { machineSummary, progress, publishResults } from '../support/bench-report';
import { benchMain } from '../support/bench-runner.service';
import { DedicatedBroker } from '../support/dedicated-broker.service';
import { statsMarkdown, type StatsBenchReport } from './stats-report.factory';

const SPEC: BenchSpec<'lines' | 'seconds' | 'rate'> = {
  name: 'bench:stats',
  summary: `Statistics: parse + aggregate throughput on one core (target >= 300,000 lines/s) and the
delay from a window's end to its final record in cdn-stats.<id> (p50/p99), real aggregator on a
dedicated broker. Writes stats.md and stats.json.`,
  portBase: 20092,
  sizes: {
    lines: {
      help: 'lines parsed and aggregated',
      full: 2_000_000,
      quick: 300_000,
      min: 1000,
      max: 1e8,
    },
    seconds: {
      help: 'seconds of live traffic for the delay',
      full: 90,
      quick: 45,
      min: 30,
      max: 3600,
    },
    rate: { help: 'live lines per second', full: 2000, quick: 500, min: 10, max: 100_000 },
  },
};

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function throughput(lines: number): StatsBenchReport['throughput'] {
  const customers = ['a', 'b', 'c', 'd', 'e'];
  const sources = customers.map((id, i) =>
    knownTrafficSource(id, { seed: i + 1, clients: 5000, hosts: 20 }, []),
  );
  const t0 = Date.UTC(2026, 11, 2);
  const values: Buffer[] = [];
  let bytes = 0;
  for (let i = 0; i < lines; i++) {
    const line = sources[i % customers.length](t0 + Math.floor(i / 50));
    const v = Buffer.from(line.slice(line.indexOf(' ') + 1));
    bytes += v.length;
    values.push(v);
  }
  const options = {
    format: compileLogFormat('combined-msec'),
    latenessMs: 5000,
    sketch: DEFAULT_SKETCH_OPTIONS,
  };
  // A warm-up pass over the first tenth, so the figure is the JIT-compiled steady state.
  const warm = customers.map((id) => new CustomerStats(id, options));
  for (let i = 0; i < lines / 10; i++)
    warm[i % customers.length].ingest(0, i, i + 1, values[i], t0);
  const stats = customers.map((id) => new CustomerStats(id, options));
  progress(`aggregating ${lines.toLocaleString('en')} lines`);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < lines; i++) {
    const c = i % customers.length;
    const now = t0 + Math.floor(i / 50);
    stats[c].ingest(0, i, i + 1, values[i], now);
    // One transaction per customer per second of traffic (50,000 lines/s of event time here).
    if (i % 50_000 < customers.length) {
      const batch = stats[c].flush(now);
      if (batch) stats[c].committed(batch);
    }
  }
  const seconds = Number(process.hrtime.bigint() - wall0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    lines,
    seconds: Math.round(seconds * 100) / 100,
    linesPerSecond: Math.round(lines / seconds),
    linesPerCpuSecond: Math.round(lines / cpuSeconds),
    cpuSecondsPerMillion: Math.round((cpuSeconds / (lines / 1e6)) * 100) / 100,
    avgLineBytes: Math.round(bytes / lines),
  };
}

async function delay(
  portBase: number,
  seconds: number,
  rate: number,
): Promise<StatsBenchReport['delay']> {
  const broker = new DedicatedBroker(portBase);
  await broker.start();
  const env = {
    LOGSTREAM_KAFKA_BROKERS: broker.plaintext,
    LOGSTREAM_KAFKA_PORT_BASE: String(portBase),
    LOGSTREAM_STATS_HTTP_PORT: '0',
    LOGSTREAM_STATS_TOPIC_REFRESH_MS: '1000',
    LOGSTREAM_STATS_ROLLUPS: 'false',
  };
  const latenessMs = 5000;
  const flushMs = 1000;
  let app: AppProcess | undefined;
  try {
    const kafka = createKafkaClient({
      brokers: [broker.plaintext],
      customerBootstrap: [],
      clientId: 'bench-stats',
    });
    const admin = new KafkaAdminService(kafka);
    await admin.connect();
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5'] as CustomerId[];
    const settings = {
      partitions: 3,
      replicationFactor: 1,
      retentionMs: 3600_000,
      minInsyncReplicas: 1,
    };
    for (const id of ids) {
      await admin.ensureTopic(customerTopicSpec(id, settings));
      await admin.ensureTopic(customerStatsTopicSpec(id, settings));
    }
    app = new AppProcess('aggregator', env);
    await app.waitForLog((l) => l.msg === 'aggregator started', 'aggregator start', 30_000);
    const arrivals = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: `bench-stats-${Date.now()}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topics: ids.map(customerStatsTopic), fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const r = JSON.parse(message.value?.toString() ?? '{}') as StatsRecord;
        const key = `${r.customerId}|${message.key?.toString()}`;
        if (r.final && !arrivals.has(key)) arrivals.set(key, Date.now() - Date.parse(r.windowEnd));
        return Promise.resolve();
      },
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sources = ids.map((id, i) =>
      knownTrafficSource(id, { seed: i, clients: 1000, hosts: 5 }, []),
    );
    progress(`live traffic: ${rate} lines/s for ${seconds} s over ${ids.length} customers`);
    const started = Date.now();
    // Windows that start once the aggregator runs steadily (it resumes each customer first).
    const measureFrom = started + 2 * GRANULARITY_MS['10s'];
    let sent = 0;
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate) - sent;
      for (const [i, id] of ids.entries()) {
        const n = Math.ceil(due / ids.length);
        if (n <= 0) continue;
        const now = Date.now();
        await producer.send({
          topic: customerTopic(id),
          messages: Array.from({ length: n }, (_, j) => {
            const line = sources[i](now);
            return { value: line.slice(line.indexOf(' ') + 1), partition: (sent + j) % 3 };
          }),
        });
      }
      sent += due > 0 ? due : 0;
      await sleep(50);
    }
    await sleep(latenessMs + 3 * flushMs + 2000);
    await producer.disconnect();
    await consumer.disconnect();
    await admin.disconnect();
    const end = Date.now() - latenessMs - 3 * flushMs - 2000;
    const delays = [...arrivals.entries()]
      .filter(([key]) => {
        const [, g, start] = key.split('|');
        const s = Date.parse(start);
        const e = s + GRANULARITY_MS[g as '10s' | '1m'];
        return s >= measureFrom && e <= end;
      })
      .map(([, d]) => d)
      .sort((x, y) => x - y);
    return {
      windows: delays.length,
      p50Ms: quantile(delays, 0.5),
      p99Ms: quantile(delays, 0.99),
      maxMs: delays[delays.length - 1] ?? NaN,
      latenessMs,
      flushMs,
    };
  } finally {
    if (app?.running) await app.stop();
    await broker.stop();
  }
}

benchMain(SPEC, async (args) => {
  const report: StatsBenchReport = {
    date: new Date().toISOString(),
    machine: machineSummary(),
    quick: args.quick,
    throughput: throughput(args.sizes.lines),
    delay: await delay(args.portBase, args.sizes.seconds, args.sizes.rate),
  };
  await publishResults(args.resultsDir, 'stats', statsMarkdown(report), report);
});
