import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { randomCustomerId } from '../support/ids';
import {
  ADMIN,
  bearer,
  controlApiTestConfig,
  deleteCustomers,
  errorShape,
  migratedDataSource,
  startControlApi,
  type TestApi,
} from '../support/control-api';

describe('control API e2e: delivery health and alerts', () => {
  let api: TestApi;
  let db: DataSource;
  const id = randomCustomerId('hapi');
  let token: string;

  before(async () => {
    db = await migratedDataSource();
    api = await startControlApi(controlApiTestConfig());
    assert.equal(
      (await api.http().post('/v1/customers').set(ADMIN).send({ id, name: 'Health' })).status,
      201,
    );
    const t = await api.http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
    token = (t.body as { token: string }).token;
  });

  after(async () => {
    await deleteCustomers(db, [id]);
    await api?.close();
    await db?.destroy();
  });

  it('answers the collector snapshot in the documented shape, and a clear default before one', async () => {
    const empty = await api.http().get(`/v1/customers/${id}/health`).set(bearer(token));
    assert.equal(empty.status, 200);
    assert.match((empty.body as { lastError: string }).lastError, /no health collected yet/);
    const body = {
      asOf: '2026-12-02T07:00:00.000Z',
      produced: { linesPerSec: 12.5, bytesPerSec: null, lastLineAt: '2026-12-02T06:59:59.000Z' },
      retention: { ms: 604800000, oldestLineAt: null },
      groups: [
        {
          groupId: `${id}.reader`,
          state: 'Stable',
          members: 1,
          lagLines: 3,
          lagSeconds: 0.4,
          lastCommitAt: '2026-12-02T06:59:58.000Z',
          atRisk: false,
          lostLines: 0,
        },
      ],
      edgeDrops: {
        routedLines: 0,
        routedBytes: 0,
        inactive: 0,
        oversize: 0,
        nodes: 0,
        since: null,
      },
      lastError: null,
    };
    await db.query(`INSERT INTO health_snapshots (customer_id, as_of, body) VALUES ($1, $2, $3)`, [
      id,
      body.asOf,
      JSON.stringify(body),
    ]);
    const res = await api.http().get(`/v1/customers/${id}/health`).set(bearer(token));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, body);
  });

  it('answers a series from the one-minute rollups, with null where nothing was collected', async () => {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    await db.query(
      `INSERT INTO health_rollups (customer_id, minute, produced_lines, max_lag_seconds) VALUES ($1, $2, 600, 7.5)`,
      [id, minute],
    );
    const res = await api
      .http()
      .get(`/v1/customers/${id}/health/series?metric=producedLinesPerSec&range=1h&step=60`)
      .set(bearer(token));
    assert.equal(res.status, 200);
    const series = res.body as { points: Array<{ t: string; value: number | null }> };
    assert.equal(series.points.length, 60);
    const hit = series.points.find((p) => p.t === minute.toISOString());
    assert.equal(hit?.value, 10, '600 lines in a minute = 10 lines/s');
    assert.equal(series.points.filter((p) => p.value !== null).length, 1);
    for (const [query, message] of [
      ['metric=nope', /metric must be one of/],
      ['metric=maxLagSeconds&range=2y', /range must be one of/],
      ['metric=maxLagSeconds&step=61', /step must be/],
      ['metric=maxLagSeconds&range=30d&step=60', /more than 2000 points/],
    ] as const) {
      const bad = await api
        .http()
        .get(`/v1/customers/${id}/health/series?${query}`)
        .set(bearer(token));
      assert.equal(bad.status, 400, query);
      assert.match(errorShape(bad.body).message, message);
    }
  });

  it('creates an alert subscription whose secret is shown once, lists it and deletes it', async () => {
    const created = await api
      .http()
      .post(`/v1/customers/${id}/alerts`)
      .set(bearer(token))
      .send({ url: 'https://hooks.example.com/a', rules: [{ type: 'group-lag', seconds: 60 }] });
    assert.equal(created.status, 201, created.text);
    const sub = created.body as { id: string; secret: string };
    assert.match(sub.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await api.http().get(`/v1/customers/${id}/alerts`).set(bearer(token));
    assert.equal(list.status, 200);
    assert.equal((list.body as unknown[]).length, 1);
    assert.ok(!list.text.includes(sub.secret), 'the secret is never shown again');
    const stored: Array<{ secret_ciphertext: string }> = await db.query(
      `SELECT secret_ciphertext FROM alert_subscriptions WHERE id = $1`,
      [sub.id],
    );
    assert.ok(!stored[0].secret_ciphertext.includes(sub.secret.slice(6)), 'stored encrypted');
    const del = await api.http().delete(`/v1/customers/${id}/alerts/${sub.id}`).set(bearer(token));
    assert.equal(del.status, 204);
    const again = await api
      .http()
      .delete(`/v1/customers/${id}/alerts/${sub.id}`)
      .set(bearer(token));
    assert.equal(again.status, 404);
  });

  it('refuses bad rules and private or loopback webhook addresses with a clear 400', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ url: 'https://hooks.example.com', rules: [{ type: 'nope' }] }, /rule type must be one of/],
      [{ url: 'https://hooks.example.com', rules: [{ type: 'group-lag' }] }, /needs "seconds"/],
      [{ url: 'https://hooks.example.com', rules: [] }, /rules/],
      [{ url: 'ftp://hooks.example.com', rules: [{ type: 'lines-lost' }] }, /http or https/],
      [{ url: 'http://10.0.0.7/x', rules: [{ type: 'lines-lost' }] }, /private range/],
      [{ url: 'http://[::ffff:169.254.169.254]/', rules: [{ type: 'lines-lost' }] }, /link-local/],
      [{ url: 'http://127.0.0.1:9/', rules: [{ type: 'lines-lost' }] }, /loopback/],
    ];
    for (const [body, message] of cases) {
      const res = await api
        .http()
        .post(`/v1/customers/${id}/alerts`)
        .set(bearer(token))
        .send(body as object);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(errorShape(res.body).message, message);
    }
    const rows: unknown[] = await db.query(
      `SELECT 1 FROM alert_subscriptions WHERE customer_id = $1`,
      [id],
    );
    assert.equal(rows.length, 0, 'nothing stored');
  });
});
