import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { randomCustomerId } from '../support/ids';
import {
  ADMIN,
  controlApiTestConfig,
  errorShape,
  migratedDataSource,
  startControlApi,
  type TestApi,
} from '../support/control-api';
import { PrivatePostgres } from '../support/private-postgres';
import { eventually } from '../support/process';

/** The private port this test owns (the shared server on 5432 is never stopped). */
const PORT = 55432;

describe('control API e2e: the database goes away and comes back', () => {
  let pg: PrivatePostgres | undefined;
  let api: TestApi | undefined;

  before(async () => {
    pg = await PrivatePostgres.create(PORT);
    await pg.createDatabase('logstream');
    const db: DataSource = await migratedDataSource(pg.url('logstream'));
    await db.destroy();
    api = await startControlApi(
      controlApiTestConfig({
        LOGSTREAM_DATABASE_URL: pg.url('logstream'),
        LOGSTREAM_DATABASE_CONNECT_TIMEOUT_MS: '1000',
      }),
    );
  });

  after(async () => {
    try {
      await api?.close();
    } finally {
      pg?.destroy();
    }
  });

  it('answers 503 with a clear message while it is down, and works again without a restart', async () => {
    assert.ok(api && pg);
    const http = () => api!.http();
    const id = randomCustomerId('outage');
    assert.equal(
      (await http().post('/v1/customers').set(ADMIN).send({ id, name: 'Outage' })).status,
      201,
    );
    assert.equal((await http().get('/readyz')).status, 200);

    // A fast shutdown: the server ends every session, as a restart or failover does.
    pg.stop('fast');

    // Readiness is checked at most every 2 s, so it notices within a few seconds.
    const ready = await eventually(
      async () => {
        const res = await http().get('/readyz');
        return res.status === 503 ? res : undefined;
      },
      'readiness to notice the database is gone',
      10_000,
      200,
    );
    // Generic words only: the driver's error (host, port, socket code) goes to the log.
    assert.equal(errorShape(ready.body).message, 'not ready: the database is unavailable');
    assert.ok(!ready.text.includes(String(PORT)), ready.text);
    assert.ok(!/ECONN|127\.0\.0\.1|terminat/i.test(ready.text), ready.text);
    assert.ok(
      api.logs.some((l) => l.includes('readiness: the database did not answer')),
      'the reason is logged',
    );
    assert.equal((await http().get('/healthz')).status, 200, 'the process itself is fine');

    const during = [
      http().get(`/v1/customers/${id}`).set(ADMIN),
      http().get('/v1/customers').set(ADMIN),
      http().put(`/v1/customers/${id}/streaming`).set(ADMIN).send({ enabled: true }),
      http()
        .post('/v1/customers')
        .set(ADMIN)
        .send({ id: randomCustomerId('outage'), name: 'x' }),
      http().post(`/v1/customers/${id}/credentials`).set(ADMIN),
      http().post(`/v1/customers/${id}/tokens`).set(ADMIN),
      // A customer token needs the database to be checked: 503, not 401.
      http().get(`/v1/customers/${id}`).set({ Authorization: 'Bearer lsc_unknowntoken' }),
    ];
    for (const req of during) {
      const res = await req;
      assert.equal(res.status, 503, JSON.stringify(res.body));
      const err = errorShape(res.body);
      assert.equal(err.error, 'Service Unavailable');
      assert.match(err.message, /database is unreachable right now; nothing was changed, retry/);
      assert.equal(res.headers['retry-after'], '5');
    }
    // Requests that need no database still get their usual answers.
    assert.equal((await http().get(`/v1/customers/BAD`).set(ADMIN)).status, 400);
    assert.equal((await http().get(`/v1/customers/${id}`)).status, 401);

    await pg.start();

    await eventually(
      async () => ((await http().get('/readyz')).status === 200 ? true : undefined),
      'readiness after the database is back',
      15_000,
      200,
    );
    const get = await http().get(`/v1/customers/${id}`).set(ADMIN);
    assert.equal(get.status, 200);
    assert.equal((get.body as { generation: number }).generation, 1, 'nothing changed meanwhile');
    const on = await http().put(`/v1/customers/${id}/streaming`).set(ADMIN).send({ enabled: true });
    assert.equal(on.status, 202);
    assert.equal((on.body as { generation: number }).generation, 2);
    assert.equal((await http().post(`/v1/customers/${id}/credentials`).set(ADMIN)).status, 201);

    const events = api.logs.map((l) => JSON.parse(l) as { msg: string; level: string });
    assert.ok(events.some((e) => e.msg === 'database unavailable' && e.level === 'warn'));
    assert.ok(!events.some((e) => e.msg === 'unexpected error'), 'no 500 on the way');
  });
});
