import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, customerConsumerAcls, KafkaAdminService } from '@logstream/kafka';
import type { CertificateAuthority } from '@logstream/pki';
import { currentCustomerAcls, STEP_CHAINS, type CustomerPhase } from '@logstream/provisioning';
import { customerTopic, type CustomerId } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { createScratchDatabase } from '../support/database';
import { DesiredStateWriter } from '../support/desired-state';
import { randomCustomerId } from '../support/ids';
import { eventually } from '../support/process';
import { randomLockKey, startProvisioner, waitForState } from '../support/provisioner';
import { latestRegistryEntry } from '../support/registry';
import { type ClientFiles, loadDevCa } from '../support/test-pki';

function keys(
  acls: Array<{ principal: string; resource: string; name: string; operation: string }>,
): string[] {
  return acls.map((a) => `${a.principal} ${a.operation} ${a.resource}:${a.name}`).sort();
}

describe('provisioner faults', () => {
  let admin: KafkaAdminService;
  let ca: CertificateAuthority;
  let caFile: string;
  const topicsToClean: CustomerId[] = [];

  before(async () => {
    admin = new KafkaAdminService(createKafkaClient(loadKafkaConfig('logstream-test')));
    await admin.connect();
    ({ ca, caFile } = await loadDevCa());
  });

  after(async () => {
    for (const id of topicsToClean) await admin.deleteTopic(customerTopic(id));
    await admin.disconnect();
  });

  /**
   * Brings a fresh customer to the state before `phase`'s chain, then lets a provisioner
   * with the crash hook die right after `step`, restarts a normal one, and checks that the
   * customer converges with exactly the right ACLs, registry record and no error left.
   */
  async function crashAndConverge(phase: CustomerPhase, step: string): Promise<void> {
    const db = await createScratchDatabase('crash');
    const lockKey = randomLockKey();
    const writer = new DesiredStateWriter(db.db);
    const id = randomCustomerId('crash');
    topicsToClean.push(id);
    let live: AppProcess | undefined;
    try {
      await writer.createCustomer(id, phase !== 'enabled');
      const credential: ClientFiles = await writer.issueCredential(id, ca, caFile);
      if (phase !== 'enabled') {
        // Start from a customer that is active, as disable and delete do in real life.
        live = startProvisioner(db, lockKey);
        await waitForState(writer, id, 'active');
        await live.stop();
        if (phase === 'disabled') await writer.setStreaming(id, false);
        else await writer.requestDeletion(id);
      } else {
        await writer.setStreaming(id, true);
      }

      const crashing = startProvisioner(db, lockKey, {
        LOGSTREAM_PROVISIONER_CRASH_AFTER_STEP: step,
      });
      const exit = await crashing.waitForExit(30_000);
      assert.equal(exit.signal, 'SIGKILL', `the crash hook should have fired after ${step}`);

      live = startProvisioner(db, lockKey);
      if (phase === 'deleted') {
        await eventually(
          async () => ((await writer.status(id)) === undefined ? true : undefined),
          'deletion',
          20_000,
        );
        assert.equal((await admin.listTopics()).includes(customerTopic(id)), false);
        assert.deepEqual(await latestRegistryEntry(id), { kind: 'tombstone', customerId: id });
        assert.deepEqual(await currentCustomerAcls(admin, id), []);
        return;
      }
      const status = await waitForState(writer, id, phase === 'enabled' ? 'active' : 'disabled');
      assert.equal(status.lastError, null);
      const want = phase === 'enabled' ? keys(customerConsumerAcls(credential.principal, id)) : [];
      assert.deepEqual(keys(await currentCustomerAcls(admin, id)), want);
      const entry = await latestRegistryEntry(id);
      assert.equal(entry?.kind === 'upsert' && entry.record.enabled, phase === 'enabled');
      assert.equal(entry?.kind === 'upsert' && entry.record.generation, status.generation);
    } finally {
      await live?.stop();
      await db.drop();
    }
  }

  for (const phase of ['enabled', 'disabled', 'deleted'] as const) {
    // The last step of a chain has nothing after it to cut; every boundary before it is tried.
    for (const step of STEP_CHAINS[phase].slice(0, -1)) {
      it(`converges after a crash right after "${step}" while ${phase === 'enabled' ? 'enabling' : phase === 'disabled' ? 'disabling' : 'deleting'}`, async () => {
        await crashAndConverge(phase, step);
      });
    }
  }

  it('runs one leader among two instances and hands over when the leader is killed', async () => {
    const db = await createScratchDatabase('leader');
    const lockKey = randomLockKey();
    const writer = new DesiredStateWriter(db.db);
    const first = startProvisioner(db, lockKey);
    await first.waitForLog((l) => l.msg === 'leadership acquired', 'the first leader');
    const second = startProvisioner(db, lockKey);
    try {
      await second.waitForLog(
        (l) => l.msg === 'another provisioner holds the lock; standing by',
        'the standby',
      );
      const a = randomCustomerId('ha');
      topicsToClean.push(a);
      await writer.createCustomer(a, true);
      await waitForState(writer, a, 'active');
      assert.equal(
        second.lines.some((l) => l.msg === 'leadership acquired'),
        false,
      );
      assert.equal(
        second.lines.some((l) => l.customer === a),
        false,
        'the standby must not reconcile',
      );

      first.kill('SIGKILL');
      await first.waitForExit();
      await second.waitForLog(
        (l) => l.msg === 'leadership acquired',
        'the standby to take over',
        15_000,
      );
      const b = randomCustomerId('ha');
      topicsToClean.push(b);
      await writer.createCustomer(b, true);
      const status = await waitForState(writer, b, 'active');
      assert.equal(status.lastError, null);
    } finally {
      await first.stop();
      await second.stop();
      await db.drop();
    }
  });

  it('stops work when its lock session dies, stands by, and leads again', async () => {
    const db = await createScratchDatabase('lockloss');
    const writer = new DesiredStateWriter(db.db);
    const provisioner = startProvisioner(db, randomLockKey());
    try {
      await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
      await db.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'logstream-provisioner-lock' AND datname = current_database()`,
      );
      await provisioner.waitForLog(
        (l) => l.msg === 'leadership lost; work stopped, standing by',
        'the loss to be noticed',
      );
      await provisioner.waitForLog(
        (l) =>
          l.msg === 'leadership acquired' && l !== provisioner.lines.find((x) => x.msg === l.msg),
        'leadership again',
        15_000,
      );
      const id = randomCustomerId('relead');
      topicsToClean.push(id);
      await writer.createCustomer(id, true);
      assert.equal((await waitForState(writer, id, 'active')).lastError, null);
      assert.equal(provisioner.running, true);
    } finally {
      await provisioner.stop();
      await db.drop();
    }
  });
});
