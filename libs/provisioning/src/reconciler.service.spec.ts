import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AclBinding, KafkaOperationError, type UserQuotaChange } from '@logstream/kafka';
import { parseCustomerId } from '@logstream/tenancy';
import { createLogger } from '@logstream/observability';
import type { CustomerDesiredInput } from './provisioning.types';
import { ReconcileQueue } from './reconcile.queue';
import type { StepName } from './reconcile.steps';
import { Reconciler } from './reconciler.service';

const acme = parseCustomerId('acme');

/** The real logger writing into memory, so specs read the very lines production writes. */
function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    app: 'provisioner',
    level: 'debug',
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return Object.assign(logger, { lines });
}

/** A fake Kafka and database: enough to drive the chain without I/O (unit level only). */
function harness(
  opts: { failCreateAcls?: Error[]; reportResult?: boolean; principal?: string } = {},
) {
  const calls: string[] = [];
  const acls: AclBinding[] = [];
  const failures = [...(opts.failCreateAcls ?? [])];
  const reports: Array<{ state: string; lastError: string | null }> = [];
  const input: CustomerDesiredInput = {
    customerId: acme,
    generation: 2,
    streamingEnabled: true,
    deletionRequested: false,
    requestedAt: new Date(),
    observedGeneration: 1,
    state: 'provisioning',
    quota: { consumerByteRate: null, requestPercentage: null },
    credentials: [
      {
        id: 'k1',
        principal: opts.principal ?? 'customer.acme.k1',
        revokedAt: null,
        expiresAt: new Date(Date.now() + 1e9),
      },
    ],
  };
  const store = {
    loadDesired: () => Promise.resolve(input),
    report: (_id: string, _g: number, r: { state: string; lastError: string | null }) => {
      reports.push(r);
      return Promise.resolve(opts.reportResult ?? true);
    },
    reportFailure: (_id: string, _g: number, lastError: string) => {
      reports.push({ state: 'failed', lastError });
      return Promise.resolve(true);
    },
    deleteCustomer: () => Promise.resolve(true),
  };
  const admin = {
    ensureTopic: () => (calls.push('ensureTopic'), Promise.resolve(true)),
    ensureTopicConfigs: () => Promise.resolve(false),
    describeAcls: (f: { resource?: string } = {}) =>
      Promise.resolve(acls.filter((a) => a.resource === f.resource)),
    createAcls: (b: readonly AclBinding[]) => {
      calls.push('createAcls');
      const failure = failures.shift();
      if (failure) return Promise.reject(failure);
      acls.push(...b);
      return Promise.resolve();
    },
    deleteAcls: () => Promise.resolve(),
    deleteTopic: () => Promise.resolve(),
  };
  const registry = {
    publish: () => (calls.push('publish'), Promise.resolve()),
    tombstone: () => Promise.resolve(),
  };
  const steps: StepName[] = [];
  const log = memoryLogger();
  const reconciler = new Reconciler(
    store,
    {
      admin,
      registry,
      quotas: {
        describeUsers: () => Promise.resolve([]),
        alter: (changes: readonly UserQuotaChange[]) => {
          if (changes.length > 0) calls.push('alterQuotas');
          return Promise.resolve();
        },
      },
      aclConfirmTimeoutMs: 1000,
      sleep: () => Promise.resolve(),
    },
    {
      topic: { partitions: 1, replicationFactor: 1, retentionMs: 60_000, minInsyncReplicas: 1 },
      stepAttempts: 3,
      backoffMs: 1,
      afterStep: (s) => steps.push(s),
    },
    log,
  );
  return { reconciler, calls, steps, reports, log, acls };
}

describe('Reconciler', () => {
  it('fails sync-acls with a clear lastError for a credential naming another principal, granting it nothing', async () => {
    const h = harness({ principal: 'logstream-provisioner' });
    const outcome = await h.reconciler.reconcile(acme);
    assert.equal(outcome.kind, 'failed');
    assert.deepEqual(h.steps, ['ensure-topic']);
    assert.equal(h.reports.length, 1);
    assert.equal(h.reports[0].state, 'failed');
    assert.match(
      h.reports[0].lastError ?? '',
      /^sync-acls: credential "k1" of customer "acme" names principal "logstream-provisioner", not its own "customer\.acme\.k1"; no access granted to it$/,
    );
    assert.deepEqual(h.acls, []);
  });

  it('runs the enable chain in order and reports active', async () => {
    const h = harness();
    const outcome = await h.reconciler.reconcile(acme);
    assert.equal(outcome.kind, 'converged');
    assert.deepEqual(h.steps, [
      'ensure-topic',
      'sync-acls',
      'publish-registry',
      'confirm-acls',
      'sync-quota',
      'report',
    ]);
    assert.deepEqual(h.reports, [{ state: 'active', lastError: null }]);
  });

  it('puts the customer and generation in every log line', async () => {
    const h = harness();
    await h.reconciler.reconcile(acme);
    assert.ok(h.log.lines.length > 0);
    for (const l of h.log.lines) {
      assert.equal(l.customer, 'acme');
      assert.equal(l.generation, 2);
    }
  });

  it('backs off and retries a retriable Kafka error within the step', async () => {
    const h = harness({
      failCreateAcls: [new KafkaOperationError('create ACLs', 'leader moved', true)],
    });
    assert.equal((await h.reconciler.reconcile(acme)).kind, 'converged');
    assert.equal(h.calls.filter((c) => c === 'createAcls').length, 2);
  });

  it('gives a persistent retriable error back for a later retry without marking it failed', async () => {
    const busy = new KafkaOperationError('create ACLs', 'broker unavailable', true);
    const h = harness({ failCreateAcls: [busy, busy, busy] });
    const outcome = await h.reconciler.reconcile(acme);
    assert.equal(outcome.kind, 'retry');
    assert.deepEqual(h.reports, []);
    assert.equal(h.calls.includes('publish'), false, 'later steps must not run');
  });

  it('reports a non-retriable error as failed with the step in a readable lastError', async () => {
    const denied = new KafkaOperationError(
      'create ACLs',
      'Cluster authorization failed',
      false,
      'CLUSTER_AUTHORIZATION_FAILED',
    );
    const h = harness({ failCreateAcls: [denied] });
    const outcome = await h.reconciler.reconcile(acme);
    assert.equal(outcome.kind, 'failed');
    assert.deepEqual(h.reports, [
      { state: 'failed', lastError: 'sync-acls: create ACLs: Cluster authorization failed' },
    ]);
  });

  it('stops as superseded when the generation moved on before the report', async () => {
    const h = harness({ reportResult: false });
    assert.equal((await h.reconciler.reconcile(acme)).kind, 'superseded');
  });
});

describe('ReconcileQueue', () => {
  it('never runs one customer twice at once and reruns it once if enqueued meanwhile', async () => {
    const runs: string[] = [];
    let running = 0;
    let maxRunning = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new ReconcileQueue(4, async (id) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs.push(id);
      if (runs.length === 1) await gate;
      running--;
    });
    queue.enqueue(acme);
    queue.enqueue(acme);
    queue.enqueue(acme);
    release();
    await queue.idle();
    assert.deepEqual(runs, ['acme', 'acme']);
    assert.equal(maxRunning, 1);
  });

  it('bounds concurrency', async () => {
    let running = 0;
    let maxRunning = 0;
    const queue = new ReconcileQueue(2, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(5);
      running--;
    });
    for (let i = 0; i < 10; i++) queue.enqueue(parseCustomerId(`c${i}`));
    await queue.idle();
    assert.equal(maxRunning, 2);
  });
});
