/**
 * `npm run bench:provision`: enable-to-consumable latency over 200 customers, and the time to
 * reconcile 10,000 customers from scratch. Runs a dedicated Kafka broker (port base 19892 unless
 * --port-base) and a scratch database, so the shared development broker is not loaded with
 * 10,000 topics.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import {
  credentialPrincipal,
  customerTopic,
  consumerGroupPrefix,
  type CustomerId,
} from '@logstream/tenancy';
import { createScratchDatabase, type ScratchDatabase } from '../../test/support/database';
import { DesiredStateWriter } from '../../test/support/desired-state';
import { randomToken } from '../../test/support/ids';
import { randomLockKey, startProvisioner } from '../../test/support/provisioner';
import { type ClientFiles, loadDevCa } from '../../test/support/test-pki';
import { benchUsage, parseBenchArgs, type BenchSpec } from '../support/bench-args.rules';
import {
  failAndExit,
  machineSummary,
  percentile,
  progress,
  publishResults,
} from '../support/bench-report';
import { REPO_ROOT } from '@logstream/config';
import { DedicatedBroker } from '../support/dedicated-broker.service';

const ENABLES_PER_SECOND = 10;

const SPEC: BenchSpec<'enableCustomers' | 'bulkCustomers'> = {
  name: 'bench:provision',
  summary: `Enable-to-consumable latency (customers enabled at ${ENABLES_PER_SECOND}/s) and the time to
reconcile many customers from scratch, on a dedicated broker and a scratch database.
Writes provision.md and provision.json.`,
  portBase: 19892,
  sizes: {
    enableCustomers: {
      help: 'customers enabled one by one for the latency',
      full: 200,
      quick: 20,
      min: 1,
      max: 10_000,
    },
    bulkCustomers: {
      help: 'customers reconciled from scratch',
      full: 10_000,
      quick: 300,
      min: 1,
      max: 100_000,
    },
  },
};
const ARGS = parseBenchArgs(process.argv.slice(2), SPEC, REPO_ROOT);
const PORT_BASE = ARGS.portBase;
const LATENCY_CUSTOMERS = ARGS.sizes.enableCustomers;
const BULK_CUSTOMERS = ARGS.sizes.bulkCustomers;

/** Polls, as the customer (its certificate over SSL), until topic and group are both authorized. */
async function waitConsumable(
  id: CustomerId,
  files: ClientFiles,
  deadlineMs: number,
): Promise<number> {
  const kafka = new Kafka({
    clientId: 'bench-probe',
    brokers: [`localhost:${PORT_BASE + 2}`],
    ssl: {
      ca: [await readFile(files.caFile, 'utf8')],
      cert: await readFile(files.certFile, 'utf8'),
      key: await readFile(files.keyFile, 'utf8'),
    },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    // A loaded machine can take longer than kafkajs's 1 s to finish a TLS handshake.
    connectionTimeout: 10_000,
  });
  const admin = kafka.admin();
  try {
    while (Date.now() < deadlineMs) {
      try {
        // Inside the loop: a connection that timed out is tried again, not a failed bench.
        await admin.connect();
        await admin.fetchTopicMetadata({ topics: [customerTopic(id)] });
        await admin.fetchOffsets({
          groupId: `${consumerGroupPrefix(id)}probe`,
          topics: [customerTopic(id)],
        });
        return Date.now();
      } catch {
        await sleep(25);
      }
    }
    throw new Error(`customer ${id} not consumable in time`);
  } finally {
    await admin.disconnect();
  }
}

async function latencyPhase(db: ScratchDatabase, lockKey: number) {
  const writer = new DesiredStateWriter(db.db);
  const { ca, caFile } = await loadDevCa();
  const customers: Array<{ id: CustomerId; files: ClientFiles }> = [];
  progress(`creating ${LATENCY_CUSTOMERS} customers with one credential each`);
  for (let i = 0; i < LATENCY_CUSTOMERS; i++) {
    const id = `lat-${randomToken()}` as CustomerId;
    await writer.createCustomer(id);
    customers.push({ id, files: await writer.issueCredential(id, ca, caFile) });
  }
  const provisioner = startProvisioner(db, lockKey, kafkaEnv());
  await provisioner.waitForLog((l) => l.msg === 'reconciling every customer', 'provisioner start');
  await sleep(2_000);
  progress(`enabling ${LATENCY_CUSTOMERS} customers at ${ENABLES_PER_SECOND}/s`);
  const toActive: number[] = [];
  const toConsumable: number[] = [];
  const pending: Array<Promise<void>> = [];
  try {
    for (const c of customers) {
      const t0 = Date.now();
      await writer.setStreaming(c.id, true);
      const probe = (async () => {
        const consumableAt = await waitConsumable(c.id, c.files, t0 + 60_000);
        toConsumable.push(consumableAt - t0);
        const s = await writer.status(c.id);
        if (typeof s?.provisioningMs === 'number') toActive.push(s.provisioningMs);
      })();
      // Handled by Promise.all below; until then a failure must not crash the process unhandled.
      probe.catch(() => undefined);
      pending.push(probe);
      await sleep(1000 / ENABLES_PER_SECOND);
    }
    await Promise.all(pending);
  } finally {
    await provisioner.stop();
  }
  return { toActive, toConsumable };
}

async function bulkPhase(db: ScratchDatabase, lockKey: number) {
  progress(`inserting ${BULK_CUSTOMERS} enabled customers with one credential each`);
  await db.db.query(
    `INSERT INTO customers (id, name, streaming_enabled, streaming_state, generation)
     SELECT 'bulk-' || i, 'Bulk ' || i, true, 'provisioning', 2 FROM generate_series(1, $1) AS i`,
    [BULK_CUSTOMERS],
  );
  await db.db.query(
    `INSERT INTO credentials (id, customer_id, principal, serial, fingerprint_sha256, expires_at)
     SELECT 'k' || i, 'bulk-' || i, $2 || 'bulk-' || i || '.k' || i, 's', 'f', now() + interval '1 day'
     FROM generate_series(1, $1) AS i`,
    [
      BULK_CUSTOMERS,
      credentialPrincipal('bulk-0' as CustomerId, 'k0').replace('bulk-0.k0', 'bulk-'),
    ],
  );
  const started = Date.now();
  const provisioner = startProvisioner(db, lockKey, kafkaEnv());
  try {
    let done = 0;
    while (done < BULK_CUSTOMERS) {
      await sleep(2_000);
      const rows: Array<{ n: string }> = await db.db.query(
        `SELECT count(*) AS n FROM customers WHERE id LIKE 'bulk-%' AND streaming_state = 'active' AND observed_generation = generation`,
      );
      done = Number(rows[0].n);
      progress(
        `reconciled ${done}/${BULK_CUSTOMERS} (${Math.round(done / ((Date.now() - started) / 1000))}/s)`,
      );
      if (!provisioner.running)
        throw new Error(`provisioner died:\n${provisioner.raw.slice(-10).join('\n')}`);
      if (Date.now() - started > 20 * 60_000)
        throw new Error(`${BULK_CUSTOMERS} customers took over 20 minutes`);
    }
    const totalMs = Date.now() - started;
    // A resync of the settled customers: the periodic drift check's cost.
    const resync = await provisioner.waitForLog(
      (l) => l.msg === 'resync' || l.msg === 'reconciled',
      'a resync',
      60_000,
    );
    return { totalMs, perSecond: BULK_CUSTOMERS / (totalMs / 1000), resyncSeen: Boolean(resync) };
  } finally {
    await provisioner.stop();
  }
}

function kafkaEnv(): Record<string, string> {
  return {
    LOGSTREAM_KAFKA_BROKERS: `127.0.0.1:${PORT_BASE}`,
    LOGSTREAM_KAFKA_SSL_BOOTSTRAP: `localhost:${PORT_BASE + 2}`,
    LOGSTREAM_PROVISIONER_RESYNC_MS: '30000',
  };
}

async function main(): Promise<void> {
  if (ARGS.help) {
    process.stdout.write(benchUsage(SPEC));
    return;
  }
  const broker = new DedicatedBroker(PORT_BASE);
  await broker.start();
  const db = await createScratchDatabase('bench');
  const lockKey = randomLockKey();
  try {
    const latency = await latencyPhase(db, lockKey);
    const bulk = await bulkPhase(db, lockKey);
    const f = (v: number) => `${Math.round(v)} ms`;
    const raw = {
      date: new Date().toISOString(),
      machine: machineSummary(),
      quick: ARGS.quick,
      enable: {
        customers: LATENCY_CUSTOMERS,
        ratePerSecond: ENABLES_PER_SECOND,
        toActiveMs: {
          p50: percentile(latency.toActive, 50),
          p99: percentile(latency.toActive, 99),
          max: Math.max(...latency.toActive),
        },
        toConsumableMs: {
          p50: percentile(latency.toConsumable, 50),
          p99: percentile(latency.toConsumable, 99),
          max: Math.max(...latency.toConsumable),
        },
      },
      bulk: { customers: BULK_CUSTOMERS, ...bulk },
    };
    const md = [
      '# Provisioner benchmark',
      '',
      `Run ${raw.date} on ${raw.machine}${ARGS.quick ? ' (quick smoke run: small sizes)' : ''}; one local Kafka 3.9.1 broker, PostgreSQL 15, provisioner concurrency 16.`,
      '',
      `## Enable to consumable (${LATENCY_CUSTOMERS} customers, ${ENABLES_PER_SECOND} enables/s)`,
      '',
      'From the committed `PUT streaming` (desired state + NOTIFY) until a client with the customer’s own',
      'certificate, over the SSL listener, is authorized on its topic and its group prefix.',
      '',
      '| measure | p50 | p99 | max | target |',
      '| --- | --- | --- | --- | --- |',
      `| enable → consumable | ${f(raw.enable.toConsumableMs.p50)} | ${f(raw.enable.toConsumableMs.p99)} | ${f(raw.enable.toConsumableMs.max)} | p99 < 3000 ms: ${raw.enable.toConsumableMs.p99 < 3000 ? 'met' : 'NOT met'} |`,
      `| enable → reported active | ${f(raw.enable.toActiveMs.p50)} | ${f(raw.enable.toActiveMs.p99)} | ${f(raw.enable.toActiveMs.max)} | |`,
      '',
      `## Reconciling ${BULK_CUSTOMERS.toLocaleString('en')} customers from scratch`,
      '',
      `${(bulk.totalMs / 1000).toFixed(1)} s from provisioner start to all ${BULK_CUSTOMERS.toLocaleString('en')} active (topic, 2 ACLs, registry record, confirmation, report each): ${bulk.perSecond.toFixed(0)} customers/s.`,
      '',
    ].join('\n');
    await publishResults(ARGS.resultsDir, 'provision', md, raw);
  } finally {
    await db.drop().catch(() => undefined);
    await broker.stop();
  }
}

main().catch(failAndExit);
