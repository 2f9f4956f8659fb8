import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { DesiredStateService } from '@logstream/persistence';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { randomCustomerId } from '../support/ids';
import { ReconcileListener } from '../support/pg-notifications';

interface Row {
  generation: string;
  streaming_enabled: boolean;
  streaming_state: string;
  deletion_requested: boolean;
}

/** The one place desired state is written (the control API's services and the tests use it). */
describe('DesiredStateService on the real PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let desired: DesiredStateService;
  let listener: ReconcileListener;

  before(async () => {
    scratch = await createScratchDatabase('desired');
    desired = new DesiredStateService(scratch.db);
    listener = new ReconcileListener(scratch.url);
    await listener.start();
  });
  after(async () => {
    await listener.stop();
    await scratch.drop();
  });

  async function row(id: string): Promise<Row> {
    const rows: Row[] = await scratch.db.query(
      `SELECT generation, streaming_enabled, streaming_state,
              deletion_requested_at IS NOT NULL AS deletion_requested
       FROM customers WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async function notified(id: string, count: number): Promise<void> {
    for (let i = 0; i < 100 && listener.for(id) < count; i++) await sleep(20);
    assert.equal(listener.for(id), count, `notifications for ${id}`);
  }

  it('creates a customer at generation 1, streaming off, and wakes the provisioner', async () => {
    const id = randomCustomerId('ds');
    assert.ok(await desired.createCustomer(id, 'Shop'));
    assert.deepEqual(await row(id), {
      generation: '1',
      streaming_enabled: false,
      streaming_state: 'disabled',
      deletion_requested: false,
    });
    await notified(id, 1);
    assert.equal(await desired.createCustomer(id, 'Other'), undefined);
  });

  it('bumps the generation once per change, never for a repeat, and stops streaming on deletion', async () => {
    const id = randomCustomerId('ds');
    await desired.createCustomer(id, 'Shop');
    assert.equal((await desired.setStreaming(id, true)).outcome, 'changed');
    assert.equal((await desired.setStreaming(id, true)).outcome, 'unchanged');
    assert.deepEqual(await row(id), {
      generation: '2',
      streaming_enabled: true,
      streaming_state: 'provisioning',
      deletion_requested: false,
    });
    assert.equal((await desired.requestDeletion(id)).outcome, 'changed');
    assert.equal((await desired.requestDeletion(id)).outcome, 'unchanged');
    assert.deepEqual(await row(id), {
      generation: '3',
      streaming_enabled: false,
      streaming_state: 'disabling',
      deletion_requested: true,
    });
    assert.equal((await desired.setStreaming(id, true)).outcome, 'being_deleted');
    await notified(id, 3);
    assert.equal((await desired.setStreaming(randomCustomerId('ds'), true)).outcome, 'not_found');
  });

  it('adds credentials up to the limit and revokes each once', async () => {
    const id = randomCustomerId('ds');
    await desired.createCustomer(id, 'Shop');
    const credential = (n: number) => ({
      id: `k${n}`,
      customerId: id,
      principal: `customer.${id}.k${n}`,
      serial: `s${n}`,
      fingerprintSha256: `f${n}`,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    assert.equal((await desired.addCredential(credential(1), 1)).outcome, 'changed');
    assert.deepEqual(await desired.canAddCredential(id, 1), { outcome: 'too_many', maxActive: 1 });
    assert.equal((await desired.addCredential(credential(2), 1)).outcome, 'too_many');
    assert.equal((await desired.revokeCredential(id, 'k1')).outcome, 'changed');
    assert.equal((await desired.revokeCredential(id, 'k1')).outcome, 'unchanged');
    assert.equal((await desired.revokeCredential(id, 'k9')).outcome, 'credential_not_found');
    assert.equal((await desired.addCredential(credential(2), 1)).outcome, 'changed');
    assert.equal((await row(id)).generation, '4');
    await notified(id, 4);
  });
});
