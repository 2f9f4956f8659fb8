import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { randomCustomerId } from '../support/ids';
import {
  ADMIN,
  controlApiTestConfig,
  deleteCustomers,
  errorShape,
  migratedDataSource,
  startControlApi,
  type TestApi,
} from '../support/control-api';

function logEvents(api: TestApi): Array<Record<string, unknown>> {
  return api.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('control API e2e: health, readiness, metrics, docs, request ids and logs', () => {
  let api: TestApi;
  let db: DataSource;
  const created: string[] = [];

  before(async () => {
    db = await migratedDataSource();
    api = await startControlApi(controlApiTestConfig());
  });

  after(async () => {
    await api.close();
    await deleteCustomers(db, created);
    await db.destroy();
  });

  it('answers /healthz and /readyz without a token', async () => {
    const health = await api.http().get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await api.http().get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ok', database: 'up' });
  });

  it('describes every endpoint in OpenAPI at /docs', async () => {
    const ui = await api.http().get('/docs/');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
    const doc = await api.http().get('/docs/openapi.json');
    assert.equal(doc.status, 200);
    const spec = doc.body as {
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const expected: Record<string, string[]> = {
      '/v1/customers': ['post', 'get'],
      '/v1/customers/{id}': ['get', 'delete'],
      '/v1/customers/{id}/streaming': ['get', 'put'],
      '/v1/customers/{id}/credentials': ['post', 'get'],
      '/v1/customers/{id}/credentials/{credentialId}': ['delete'],
      '/v1/customers/{id}/tokens': ['post'],
      '/healthz': ['get'],
      '/readyz': ['get'],
      '/metrics': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      assert.ok(spec.paths[path], `${path} documented`);
      assert.deepEqual(Object.keys(spec.paths[path]).sort(), [...methods].sort(), path);
    }
    assert.ok(spec.components.securitySchemes.bearer);
  });

  it('echoes a sane X-Request-Id, replaces an unsafe one, and logs one JSON line per request', async () => {
    const id = randomCustomerId('ops');
    const res = await api
      .http()
      .get(`/v1/customers/${id}`)
      .set(ADMIN)
      .set('X-Request-Id', 'req-42.abc');
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-request-id'], 'req-42.abc');

    const unsafe = await api.http().get('/healthz').set('X-Request-Id', 'evil\tvalue{}');
    assert.match(
      unsafe.headers['x-request-id'],
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const generated = await api.http().get('/healthz');
    assert.notEqual(generated.headers['x-request-id'], unsafe.headers['x-request-id']);

    // The log line is written when the response closes, just after the client has it.
    await sleep(50);
    const line = logEvents(api).find((e) => e.requestId === 'req-42.abc');
    assert.ok(line, 'a log line with the request id');
    assert.equal(line.msg, 'request');
    assert.equal(line.level, 'info');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/v1/customers/:id');
    assert.equal(line.status, 404);
    assert.equal(line.principal, 'admin');
    assert.equal(typeof line.ms, 'number');
    assert.ok(!Number.isNaN(Date.parse(line.time as string)));
    for (const raw of api.logs) assert.doesNotThrow(() => JSON.parse(raw), raw);
    assert.ok(!api.logs.join('\n').includes(ADMIN.Authorization.slice(7)), 'tokens never logged');
  });

  it('counts requests and latency by route template and status at /metrics', async () => {
    const id = randomCustomerId('ops');
    await api.http().post('/v1/customers').set(ADMIN).send({ id, name: 'Ops' });
    created.push(id);
    await api.http().get(`/v1/customers/${id}`).set(ADMIN);
    await api.http().get(`/v1/customers/${id}`).set(ADMIN);
    await api.http().get(`/v1/customers/${id}`);
    await sleep(50);
    const res = await api.http().get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    const text = res.text;
    const count = (labels: string): number => {
      const m = new RegExp(
        `^logstream_api_http_requests_total\\{${labels.replace(/[/.]/g, '\\$&')}\\} (\\d+)$`,
        'm',
      ).exec(text);
      return m ? Number(m[1]) : 0;
    };
    assert.equal(count('method="POST",route="/v1/customers",status="201"'), 1);
    assert.equal(count('method="GET",route="/v1/customers/:id",status="200"'), 2);
    assert.equal(count('method="GET",route="/v1/customers/:id",status="401"'), 1);
    assert.match(
      text,
      /^logstream_api_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/v1\/customers\/:id",status="200"\} \d+$/m,
    );
    assert.match(text, /^logstream_api_process_cpu_user_seconds_total /m);
    assert.ok(!text.includes(id), 'raw paths never become labels');
  });

  it('answers 404 with the error body for an unknown route', async () => {
    const res = await api.http().get('/v2/nothing').set(ADMIN);
    assert.equal(res.status, 404);
    assert.match(errorShape(res.body).message, /no such endpoint: GET \/v2\/nothing/);
  });
});

describe('control API e2e: rate limiting', () => {
  let api: TestApi;

  before(async () => {
    api = await startControlApi(
      controlApiTestConfig({
        LOGSTREAM_API_RATE_LIMIT: '5',
        LOGSTREAM_API_RATE_WINDOW_MS: '60000',
      }),
    );
  });

  after(async () => {
    await api.close();
  });

  it('answers 429 past the limit, unauthenticated guesses included, but never throttles probes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await api
        .http()
        .get('/v1/customers')
        .set({ Authorization: `Bearer guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.match(errorShape(res.body).message, /too many requests: at most 5 per 60 s/);
        assert.ok(Number(res.headers['retry-after']) > 0);
      }
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    const admin = await api.http().get('/v1/customers').set(ADMIN);
    assert.equal(admin.status, 429, 'the limit is per client address');
    for (let i = 0; i < 10; i++) {
      assert.equal((await api.http().get('/healthz')).status, 200);
      assert.equal((await api.http().get('/metrics')).status, 200);
    }
  });
});
