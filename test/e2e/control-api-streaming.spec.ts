import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomCustomerId } from '../support/ids';
import { ADMIN, bearer, controlApiTestConfig, errorShape } from '../support/control-api';
import { useControlApi } from '../support/control-api-fixture';
import { eventually } from '../support/process';

interface Status {
  enabled: boolean;
  state: string;
  topic: string;
  bootstrapServers: string[];
  consumerGroupPrefix: string;
  lastError: string | null;
  updatedAt: string;
  activeSince: string | null;
  generation: number;
  observedGeneration: number;
}

describe('control API e2e: the streaming switch', () => {
  const config = controlApiTestConfig({
    LOGSTREAM_KAFKA_SSL_BOOTSTRAP: 'kafka-a:9094,kafka-b:9094',
  });

  function put(id: string, body: unknown, auth: Record<string, string> = ADMIN) {
    return fx.api
      .http()
      .put(`/v1/customers/${id}/streaming`)
      .set(auth)
      .send(body as object);
  }

  async function waitForNotifications(id: string, count: number): Promise<void> {
    await eventually(
      () => Promise.resolve(fx.listener.for(id) >= count ? true : undefined),
      `${count} notifications for ${id}`,
      5000,
      20,
    );
  }

  const fx = useControlApi({ prefix: 'stream', config: config, listen: true });
  const { createCustomer } = fx;

  it('reports a new customer as disabled, with its topic, bootstrap servers and group prefix', async () => {
    const id = await createCustomer();
    const res = await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN);
    assert.equal(res.status, 200);
    const status = res.body as Status;
    assert.deepEqual(
      { ...status, updatedAt: undefined },
      {
        enabled: false,
        state: 'disabled',
        topic: `cdn-logs.${id}`,
        bootstrapServers: ['kafka-a:9094', 'kafka-b:9094'],
        consumerGroupPrefix: `${id}.`,
        lastError: null,
        updatedAt: undefined,
        activeSince: null,
        generation: 1,
        observedGeneration: 0,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(status.updatedAt)));
  });

  it('records a switch and bumps the generation in one transaction, and wakes the provisioner', async () => {
    const id = await createCustomer();
    await waitForNotifications(id, 1); // creation wakes it too

    const on = await put(id, { enabled: true });
    assert.equal(on.status, 202);
    const onStatus = on.body as Status;
    assert.equal(onStatus.enabled, true);
    assert.equal(onStatus.state, 'provisioning');
    assert.equal(onStatus.generation, 2);
    await waitForNotifications(id, 2);

    // Asking for what is already desired changes nothing and wakes nobody.
    const same = await put(id, { enabled: true });
    assert.equal(same.status, 202);
    assert.equal((same.body as Status).generation, 2);

    const off = await put(id, { enabled: false });
    assert.equal(off.status, 202);
    assert.equal((off.body as Status).state, 'disabling');
    assert.equal((off.body as Status).generation, 3);
    // Notifications arrive in commit order: the third is the switch off, so the no-op sent none.
    await waitForNotifications(id, 3);
    assert.equal(fx.listener.for(id), 3);

    const rows: Array<{ streaming_enabled: boolean; generation: string }> = await fx.db.query(
      'SELECT streaming_enabled, generation FROM customers WHERE id = $1',
      [id],
    );
    assert.deepEqual(rows[0], { streaming_enabled: false, generation: '3' });
  });

  it('returns what the provisioner reports: active, then failed with its error', async () => {
    const id = await createCustomer();
    await put(id, { enabled: true });
    const activeSince = new Date('2026-01-02T03:04:05.000Z');
    await fx.db.query(
      `UPDATE customers SET streaming_state = 'active', observed_generation = generation,
         active_since = $2, state_changed_at = $2 WHERE id = $1`,
      [id, activeSince],
    );
    const active = (await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN))
      .body as Status;
    assert.equal(active.state, 'active');
    assert.equal(active.activeSince, activeSince.toISOString());
    assert.equal(active.updatedAt, activeSince.toISOString());
    assert.equal(active.observedGeneration, active.generation);

    await fx.db.query(
      `UPDATE customers SET streaming_state = 'failed', last_error = 'TOPIC_AUTHORIZATION_FAILED'
       WHERE id = $1`,
      [id],
    );
    const failed = (await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN))
      .body as Status;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.lastError, 'TOPIC_AUTHORIZATION_FAILED');
  });

  it("lets a customer token switch its own streaming, and no one else's", async () => {
    const mine = await createCustomer();
    const other = await createCustomer();
    const token = (
      (await fx.api.http().post(`/v1/customers/${mine}/tokens`).set(ADMIN)).body as {
        token: string;
      }
    ).token;
    const res = await put(mine, { enabled: true }, bearer(token));
    assert.equal(res.status, 202);
    assert.equal((res.body as Status).enabled, true);
    const denied = await put(other, { enabled: true }, bearer(token));
    assert.equal(denied.status, 404);
    const otherStatus = (await fx.api.http().get(`/v1/customers/${other}/streaming`).set(ADMIN))
      .body as Status;
    assert.equal(otherStatus.enabled, false);
    assert.equal(otherStatus.generation, 1);
  });

  const badBodies: Array<[string, unknown, RegExp]> = [
    ['an empty object', {}, /enabled must be a boolean value/],
    ['a string "true"', { enabled: 'true' }, /enabled must be a boolean value/],
    ['the number 1', { enabled: 1 }, /enabled must be a boolean value/],
    ['null', { enabled: null }, /enabled must be a boolean value/],
    ['an extra field', { enabled: true, force: true }, /property force should not exist/],
    ['an array', [true], /must be a JSON object/],
  ];
  for (const [what, body, message] of badBodies) {
    it(`answers 400 for ${what} and changes nothing`, async () => {
      const id = await createCustomer();
      const res = await put(id, body);
      assert.equal(res.status, 400);
      assert.match(errorShape(res.body).message, message);
      const status = (await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN))
        .body as Status;
      assert.equal(status.enabled, false);
      assert.equal(status.generation, 1);
    });
  }

  it('answers 400 for a bad id and 404 for an unknown customer', async () => {
    assert.equal((await put('UPPER', { enabled: true })).status, 400);
    const missing = await put(randomCustomerId('nobody'), { enabled: true });
    assert.equal(missing.status, 404);
    errorShape(missing.body);
    const get = await fx.api
      .http()
      .get(`/v1/customers/${randomCustomerId('nobody')}/streaming`)
      .set(ADMIN);
    assert.equal(get.status, 404);
  });

  it('leaves one consistent desired state and generation after many concurrent switches', async () => {
    const id = await createCustomer();
    await waitForNotifications(id, 1);
    const before = fx.listener.for(id);
    // Random order of ons and offs, all in flight at once against a pool of 5 connections.
    const wishes = Array.from({ length: 60 }, (_, i) => (i * 7919) % 3 === 0);
    const responses = await Promise.all(wishes.map((enabled) => put(id, { enabled })));

    const seen = new Map<number, boolean>();
    for (const [i, res] of responses.entries()) {
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const status = res.body as Status;
      assert.equal(status.enabled, wishes[i], 'each answer shows the state it asked for');
      const earlier = seen.get(status.generation);
      assert.ok(
        earlier === undefined || earlier === status.enabled,
        `generation ${status.generation} reported with two different desired states`,
      );
      seen.set(status.generation, status.enabled);
    }
    const final = (await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN))
      .body as Status;
    const generations = [...seen.keys()].sort((a, b) => a - b);
    const changes = generations.filter((g) => g > 1);
    // Every effective change bumped exactly once: generations 2..final, none skipped or doubled.
    assert.deepEqual(
      changes,
      Array.from({ length: final.generation - 1 }, (_, i) => i + 2),
    );
    // Consecutive generations alternate: a change always flips the desired state.
    for (const g of changes) assert.equal(seen.get(g), (g - 1) % 2 === 1, `generation ${g}`);
    assert.equal(final.enabled, seen.get(final.generation));
    assert.equal(final.state, final.enabled ? 'provisioning' : 'disabling');
    assert.ok(
      changes.length >= 2,
      `only ${changes.length} effective changes; the test proves little`,
    );
    // The provisioner was woken once per effective change.
    await waitForNotifications(id, before + changes.length);
    await sleep(200);
    assert.equal(fx.listener.for(id), before + changes.length);
  });

  it('bumps the generation once when many concurrent requests ask for the same change', async () => {
    const id = await createCustomer();
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => put(id, { enabled: true })),
    );
    assert.ok(responses.every((r) => r.status === 202));
    const generations = new Set(responses.map((r) => (r.body as Status).generation));
    assert.deepEqual([...generations], [2]);
    const final = (await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN))
      .body as Status;
    assert.equal(final.generation, 2);
    assert.equal(final.enabled, true);
  });
});
