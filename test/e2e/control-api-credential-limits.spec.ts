import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { CredentialRetentionService } from '@logstream/control';
import { useTenantApi } from '../support/api-tenants';
import { ADMIN, binaryBody, errorShape, type TestApi } from '../support/control-api';

/** Issue #17, item 1: credential issuing limits, reservations, the global cap, pages, pruning. */

function issue(api: TestApi, id: string, auth: { Authorization: string } = ADMIN) {
  return api
    .http()
    .post(`/v1/customers/${id}/credentials`)
    .set(auth)
    .buffer(true)
    .parse(binaryBody);
}

function bodyText(res: { body: unknown; text?: string }): string {
  return Buffer.isBuffer(res.body) ? res.body.toString('utf8') : (res.text ?? '');
}

describe('control API hardening: credential issuing', () => {
  const fx = useTenantApi({
    LOGSTREAM_MAX_ACTIVE_CREDENTIALS: '3',
    LOGSTREAM_CREDENTIAL_ISSUE_RATE: '4',
    LOGSTREAM_CREDENTIAL_WORKERS: '1',
    LOGSTREAM_CREDENTIAL_RETENTION_DAYS: '1',
  });
  const { tenants } = fx;

  it('holds a customer to its issuing rate: 429 with Retry-After, nothing recorded', async () => {
    const id = await tenants.customer();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await issue(fx.api, id)).status);
    const revoked = await fx.api.http().get(`/v1/customers/${id}/credentials`).set(ADMIN);
    const first = (revoked.body as { items: Array<{ id: string }> }).items[0].id;
    // Revoking frees a slot, but the rate still counts what was issued.
    await fx.api.http().delete(`/v1/customers/${id}/credentials/${first}`).set(ADMIN).expect(204);
    statuses.push((await issue(fx.api, id)).status);
    const over = await issue(fx.api, id);
    assert.deepEqual([...statuses, over.status], [201, 201, 201, 201, 429]);
    const body = errorShape(JSON.parse(bodyText(over)));
    assert.match(body.message, /at most 4 credentials a minute; retry in \d+ s/);
    assert.ok(Number(over.headers['retry-after']) >= 1);
    const rows: unknown[] = await fx.db.query('SELECT id FROM credentials WHERE customer_id = $1', [
      id,
    ]);
    assert.equal(rows.length, 4);
  });

  it('counts a slot from its reservation, before any key is made; a lapsed one frees itself', async () => {
    const id = await tenants.customer();
    for (let i = 0; i < 3; i++) {
      await fx.db.query(
        `INSERT INTO credential_reservations (id, customer_id, expires_at)
         VALUES ($1, $2, now() + interval '1 minute')`,
        [`held${i}${randomUUID().slice(0, 8)}`, id],
      );
    }
    const full = await issue(fx.api, id);
    assert.equal(full.status, 409);
    assert.match(errorShape(JSON.parse(bodyText(full))).message, /already has 3 active/);
    await fx.db.query(
      `UPDATE credential_reservations SET expires_at = now() - interval '1 second'
       WHERE customer_id = $1`,
      [id],
    );
    assert.equal((await issue(fx.api, id)).status, 201);
    const left: unknown[] = await fx.db.query(
      'SELECT id FROM credential_reservations WHERE customer_id = $1 AND expires_at > now()',
      [id],
    );
    assert.equal(left.length, 0, 'the issue released its own reservation');
    const pruned = await fx.api.app.get(CredentialRetentionService).prune();
    assert.ok(pruned.reservations >= 3);
  });

  it('never goes over the limit under parallel issues, and never answers 500', async () => {
    const id = await tenants.customer();
    const answers = await Promise.all(Array.from({ length: 12 }, () => issue(fx.api, id)));
    const statuses = answers.map((r) => r.status);
    assert.ok(
      statuses.every((s) => s === 201 || s === 409 || s === 429),
      statuses.join(','),
    );
    assert.equal(statuses.filter((s) => s === 201).length, 3, statuses.join(','));
    const active: Array<{ n: string }> = await fx.db.query(
      'SELECT count(*) AS n FROM credentials WHERE customer_id = $1 AND revoked_at IS NULL',
      [id],
    );
    assert.equal(Number(active[0].n), 3);
  });

  it('pages the credential list with limit and after', async () => {
    const id = await tenants.customer();
    const issued: string[] = [];
    for (let i = 0; i < 3; i++) {
      issued.push(String((await issue(fx.api, id)).headers['x-credential-id']));
    }
    const page = (query: string) =>
      fx.api.http().get(`/v1/customers/${id}/credentials${query}`).set(ADMIN);
    const one = await page('?limit=2');
    assert.equal(one.status, 200);
    const first = one.body as { items: Array<{ id: string }>; next: string | null };
    assert.deepEqual(
      first.items.map((c) => c.id),
      issued.slice(0, 2),
    );
    assert.equal(first.next, issued[1]);
    const two = (await page(`?limit=2&after=${first.next}`)).body as typeof first;
    assert.deepEqual(
      two.items.map((c) => c.id),
      [issued[2]],
    );
    assert.equal(two.next, null);
    const unknown = (await page('?after=zzzzzzzz')).body as typeof first;
    assert.deepEqual(unknown, { items: [], next: null });
    for (const bad of ['?limit=0', '?limit=201', '?limit=x', '?after=NOT-AN-ID']) {
      const res = await page(bad);
      assert.equal(res.status, 400, bad);
      errorShape(res.body);
    }
  });

  it('prunes credentials revoked or expired longer ago than the retention period', async () => {
    const id = await tenants.customer();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(String((await issue(fx.api, id)).headers['x-credential-id']));
    for (const credential of ids.slice(0, 2)) {
      await fx.api.http().delete(`/v1/customers/${id}/credentials/${credential}`).set(ADMIN);
    }
    await fx.db.query(
      `UPDATE credentials SET revoked_at = now() - interval '2 days' WHERE id = $1`,
      [ids[0]],
    );
    const retention = fx.api.app.get(CredentialRetentionService);
    await retention.prune();
    let left: Array<{ id: string }> = await fx.db.query(
      'SELECT id FROM credentials WHERE customer_id = $1 ORDER BY created_at',
      [id],
    );
    assert.equal(left.length, 3, 'kept while the provisioner has not caught up');
    await tenants.markReconciled(fx.db, id);
    await retention.prune();
    left = await fx.db.query(
      'SELECT id FROM credentials WHERE customer_id = $1 ORDER BY created_at',
      [id],
    );
    assert.deepEqual(
      left.map((r) => r.id),
      ids.slice(1),
      'only the one revoked two days ago went',
    );
  });
});

describe('control API hardening: the global cap on credentials being issued', () => {
  const fx = useTenantApi({
    LOGSTREAM_CREDENTIAL_ISSUE_CONCURRENCY: '1',
    LOGSTREAM_CREDENTIAL_WORKERS: '1',
  });
  const { tenants } = fx;

  it('answers 429 with Retry-After beyond the cap, whichever customers ask', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => tenants.customer('cap')));
    const answers = await Promise.all(ids.map((id) => issue(fx.api, id)));
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.includes(201), statuses.join(','));
    const refused = answers.filter((r) => r.status === 429);
    assert.ok(refused.length >= 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s !== 201 && s !== 429).length, 0, statuses.join(','));
    for (const r of refused) {
      assert.match(errorShape(JSON.parse(bodyText(r))).message, /being issued right now/);
      assert.equal(r.headers['retry-after'], '1');
    }
  });
});
