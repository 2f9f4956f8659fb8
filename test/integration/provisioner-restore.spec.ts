import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { customerTopic } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { DesiredStateWriter } from '../support/desired-state';
import { randomCustomerId } from '../support/ids';
import { eventually } from '../support/process';
import { latestRegistryEntry } from '../support/registry';
import { randomLockKey, startProvisioner, waitForState } from '../support/provisioner';

describe('provisioner after a database restore: registry generations never go backwards', () => {
  let db: ScratchDatabase;
  let writer: DesiredStateWriter;
  let provisioner: AppProcess | undefined;
  const c = randomCustomerId('restore');
  const lockKey = randomLockKey();

  before(async () => {
    db = await createScratchDatabase('restore');
    writer = new DesiredStateWriter(db.db);
  });

  after(async () => {
    await provisioner?.stop();
    const admin = new KafkaAdminService(createKafkaClient(loadKafkaConfig('logstream-test')));
    await admin.connect();
    await admin.deleteTopic(customerTopic(c)).catch(() => undefined);
    await admin.disconnect();
    await db.drop();
  });

  it('raises generations above what the registry holds, so edge nodes take the restored state', async () => {
    provisioner = startProvisioner(db, lockKey);
    await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    // The backup: the customer exists, streaming off (generation 1).
    await writer.createCustomer(c);
    await waitForState(writer, c, 'disabled');
    const backup = await writer.status(c);
    // After the backup it was switched on and off and on again: the registry moved on.
    for (const on of [true, false, true]) {
      await writer.setStreaming(c, on);
      await waitForState(writer, c, on ? 'active' : 'disabled');
    }
    const before = await latestRegistryEntry(c);
    assert.ok(before?.kind === 'upsert' && before.record.enabled);
    const held = before.record.generation;
    assert.ok(backup && held > backup.generation);
    await provisioner.stop();

    // The restore: the row is back at the backup's generation and state.
    await db.db.query(
      `UPDATE customers SET generation = $2, observed_generation = $2, streaming_enabled = false,
         streaming_state = 'disabled' WHERE id = $1`,
      [c, backup.generation],
    );
    provisioner = startProvisioner(db, lockKey);
    await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    const after = await eventually(
      async () => {
        const entry = await latestRegistryEntry(c);
        // A record at the restored, older generation may come first (edge nodes ignore it);
        // one newer than anything they hold must follow.
        return entry?.kind === 'upsert' && !entry.record.enabled && entry.record.generation > held
          ? entry.record
          : undefined;
      },
      'the restored state (disabled) in the registry, newer than what edge nodes hold',
      30_000,
      250,
    );
    // Newer than anything an edge node holds, so none of them ignores it as stale.
    assert.ok(after.generation > held, `generation ${after.generation} after ${held}`);
    const status = await waitForState(writer, c, 'disabled');
    assert.equal(status.generation, after.generation);
  });
});
