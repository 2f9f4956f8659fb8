import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { ApiTenants, useTenantApi } from '../support/api-tenants';
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

/** Issue #17: what a customer token, a forged header or a hostile body could do, closed. */

describe('control API hardening: customer tokens', () => {
  const fx = useTenantApi();
  const { tenants } = fx;

  const whoAmI = (id: string, auth: { Authorization: string }) =>
    fx.api.http().get(`/v1/customers/${id}`).set(auth);

  it('lists a customer’s tokens to the admin and to the customer, never the secrets', async () => {
    const id = await tenants.customer();
    const one = await tenants.token(id);
    const two = await tenants.token(id, { ttl: 3600 });
    for (const auth of [ADMIN, one.auth]) {
      const res = await fx.api.http().get(`/v1/customers/${id}/tokens`).set(auth);
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const items = res.body as Array<Record<string, unknown>>;
      assert.deepEqual(
        items.map((t) => t.id),
        [one.id, two.id],
      );
      assert.deepEqual(Object.keys(items[0]).sort(), [
        'createdAt',
        'customerId',
        'expiresAt',
        'id',
        'revokedAt',
      ]);
      assert.ok(!res.text.includes(one.token) && !res.text.includes(two.token));
      assert.equal(items[0].expiresAt, null);
      const ttl = Date.parse(String(items[1].expiresAt)) - Date.now();
      assert.ok(ttl > 3_500_000 && ttl <= 3_600_000, `expires in ${ttl} ms`);
    }
  });

  it('revokes a token at once, by the admin or by the customer itself', async () => {
    const id = await tenants.customer();
    const byAdmin = await tenants.token(id);
    const byItself = await tenants.token(id);
    assert.equal((await whoAmI(id, byAdmin.auth)).status, 200);
    const revoke = (tokenId: string, auth: { Authorization: string }) =>
      fx.api.http().delete(`/v1/customers/${id}/tokens/${tokenId}`).set(auth);
    assert.equal((await revoke(byAdmin.id, ADMIN)).status, 204);
    const refused = await whoAmI(id, byAdmin.auth);
    assert.equal(refused.status, 401);
    assert.match(errorShape(refused.body).message, /invalid or revoked token/);
    assert.equal((await revoke(byItself.id, byItself.auth)).status, 204);
    assert.equal((await whoAmI(id, byItself.auth)).status, 401);
    assert.equal((await revoke(byAdmin.id, ADMIN)).status, 204, 'idempotent');
    const listed = await fx.api.http().get(`/v1/customers/${id}/tokens`).set(ADMIN);
    const states = (listed.body as Array<{ revokedAt: string | null }>).map((t) => t.revokedAt);
    assert.ok(states.every((s) => s !== null));
    const unknown = await revoke(randomUUID(), ADMIN);
    assert.equal(unknown.status, 404);
    assert.match(errorShape(unknown.body).message, /token ".*" not found for customer/);
    const malformed = await revoke('not-a-uuid', ADMIN);
    assert.equal(malformed.status, 400);
    assert.match(errorShape(malformed.body).message, /invalid token id "not-a-uuid": it is a UUID/);
  });

  it('ends a token at its expiry, and checks the expiry asked for', async () => {
    const id = await tenants.customer();
    const expiring = await tenants.token(id, {
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    });
    assert.equal((await whoAmI(id, expiring.auth)).status, 200);
    await fx.db.query(
      `UPDATE customer_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiring.id],
    );
    assert.equal((await whoAmI(id, expiring.auth)).status, 401);
    const refused: Array<[object, RegExp]> = [
      [{ expiresAt: new Date(Date.now() - 1000).toISOString() }, /expiresAt must be in the future/],
      [{ expiresAt: 'tomorrow' }, /expiresAt must be an ISO 8601 date-time/],
      [{ ttl: 59 }, /ttl must not be less than 60/],
      [{ ttl: 1.5 }, /ttl must be a whole number of seconds/],
      [{ ttl: '3600' }, /ttl must be a whole number of seconds/],
      [{ ttl: 600, expiresAt: new Date(Date.now() + 1e6).toISOString() }, /not both/],
      [{ customerId: 'someone-else' }, /customerId should not exist/],
    ];
    for (const [body, message] of refused) {
      const res = await fx.api.http().post(`/v1/customers/${id}/tokens`).set(ADMIN).send(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(errorShape(res.body).message, message, JSON.stringify(body));
    }
  });

  it('ends every token of a customer when its deletion is requested', async () => {
    const id = await tenants.customer();
    const tokens = [await tenants.token(id), await tenants.token(id, { ttl: 86_400 })];
    for (const t of tokens) assert.equal((await whoAmI(id, t.auth)).status, 200);
    await fx.api.http().delete(`/v1/customers/${id}`).set(ADMIN).expect(202);
    for (const t of tokens) assert.equal((await whoAmI(id, t.auth)).status, 401);
    const rows: Array<{ revoked_at: Date | null }> = await fx.db.query(
      'SELECT revoked_at FROM customer_tokens WHERE customer_id = $1',
      [id],
    );
    assert.ok(rows.length === 2 && rows.every((r) => r.revoked_at !== null));
  });

  it('answers the token itself with Cache-Control: no-store', async () => {
    const id = await tenants.customer();
    const res = await fx.api.http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
    assert.equal(res.status, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('control API hardening: rate limits', () => {
  let db: DataSource;
  const apis: TestApi[] = [];
  let current: TestApi;
  const tenants = new ApiTenants(() => current);

  async function start(env: Record<string, string>): Promise<TestApi> {
    current = await startControlApi(
      controlApiTestConfig({ LOGSTREAM_API_RATE_WINDOW_MS: '60000', ...env }),
    );
    apis.push(current);
    return current;
  }

  before(async () => {
    db = await migratedDataSource();
  });

  after(async () => {
    for (const api of apis) await api.close();
    await deleteCustomers(db, tenants.created);
    await db.destroy();
  });

  async function statuses(count: number, send: (i: number) => Promise<{ status: number }>) {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push((await send(i)).status);
    return out;
  }

  it('counts a client over all endpoints together, not per endpoint', async () => {
    const api = await start({ LOGSTREAM_API_RATE_LIMIT: '4' });
    const got = await statuses(6, (i) =>
      i % 2 === 0
        ? api.http().get('/v1/customers').set(ADMIN)
        : api.http().get('/v1/customers/nobody-here').set(ADMIN),
    );
    assert.deepEqual(got, [200, 404, 200, 404, 429, 429]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const api = await start({
      LOGSTREAM_API_RATE_LIMIT: '3',
      LOGSTREAM_API_TRUST_PROXY: '10.0.0.1',
    });
    const got = await statuses(5, (i) =>
      api
        .http()
        .get('/v1/customers')
        .set(ADMIN)
        .set('X-Forwarded-For', `198.51.100.${i + 1}`),
    );
    assert.deepEqual(got, [200, 200, 200, 429, 429]);
  });

  it('behind one proxy, the address it appended is the client, whatever came before it', async () => {
    const api = await start({ LOGSTREAM_API_RATE_LIMIT: '3', LOGSTREAM_API_TRUST_PROXY: '1' });
    const got = await statuses(5, (i) =>
      api
        .http()
        .get('/v1/customers')
        .set(ADMIN)
        .set('X-Forwarded-For', `198.51.100.${i + 1}, 203.0.113.7`),
    );
    assert.deepEqual(got, [200, 200, 200, 429, 429]);
    const other = await api
      .http()
      .get('/v1/customers')
      .set(ADMIN)
      .set('X-Forwarded-For', '203.0.113.8');
    assert.equal(other.status, 200, 'another client has a bucket of its own');
  });

  it('counts an IPv6 client by its /64', async () => {
    const api = await start({
      LOGSTREAM_API_RATE_LIMIT: '3',
      LOGSTREAM_API_TRUST_PROXY: 'loopback',
    });
    const from = (address: string) =>
      api.http().get('/v1/customers').set(ADMIN).set('X-Forwarded-For', address);
    const got = await statuses(5, (i) => from(`2001:db8:7:8::${(i + 1).toString(16)}`));
    assert.deepEqual(got, [200, 200, 200, 429, 429]);
    assert.equal((await from('2001:db8:7:9::1')).status, 200, 'the next /64 is another client');
  });

  it('limits a customer over all its tokens and addresses', async () => {
    // Set up through an instance without a principal limit: the admin's calls count too.
    await start({});
    const id = await tenants.customer();
    const other = await tenants.customer();
    const tokens = [await tenants.token(id), await tenants.token(id)];
    const otherToken = await tenants.token(other);
    const api = await start({
      LOGSTREAM_API_RATE_LIMIT: '1000',
      LOGSTREAM_API_PRINCIPAL_RATE_LIMIT: '4',
      LOGSTREAM_API_TRUST_PROXY: 'loopback',
    });
    const got = await statuses(6, (i) =>
      api
        .http()
        .get(`/v1/customers/${id}`)
        .set(tokens[i % 2].auth)
        .set('X-Forwarded-For', `198.51.${i}.1`),
    );
    assert.deepEqual(got, [200, 200, 200, 200, 429, 429]);
    const over = await api.http().get(`/v1/customers/${id}`).set(tokens[0].auth);
    assert.match(errorShape(over.body).message, /at most 4 per 60 s for one customer/);
    assert.ok(Number(over.headers['retry-after']) >= 1);
    const fine = await api.http().get(`/v1/customers/${other}`).set(otherToken.auth);
    assert.equal(fine.status, 200, 'another customer is not held back');
    // Probes are never counted.
    for (let i = 0; i < 10; i++) assert.equal((await api.http().get('/healthz')).status, 200);
  });
});

describe('control API hardening: HTTP answers', () => {
  const fx = useTenantApi();
  const { tenants } = fx;

  it('forbids sniffing and framing, and no cache keeps an authenticated answer', async () => {
    const id = await tenants.customer();
    const answers = [
      await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN),
      await fx.api.http().get(`/v1/customers/${id}`),
      await fx.api.http().put(`/v1/customers/${id}/streaming`).set(ADMIN).send({ enabled: false }),
      await fx.api.http().get('/readyz'),
    ];
    for (const res of answers) {
      const what = `${res.status} ${JSON.stringify(res.body)}`;
      assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
      assert.equal(res.headers['x-frame-options'], 'DENY', what);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, what);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/, what);
      assert.equal(res.headers['cache-control'], 'no-store', what);
    }
  });

  it('serves /docs under a content security policy its page keeps to', async () => {
    const page = await fx.api.http().get('/docs/');
    assert.equal(page.status, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    // No inline script: every <script> loads a file of its own origin.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /src=["'](?!https?:|\/\/)/, attributes);
      assert.equal(body.trim(), '');
    }
  });

  it('parses application/*+json bodies instead of taking them for none', async () => {
    const id = await tenants.customer();
    const on = await fx.api
      .http()
      .put(`/v1/customers/${id}/streaming`)
      .set(ADMIN)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ enabled: true }));
    assert.equal(on.status, 202, JSON.stringify(on.body));
    assert.equal((on.body as { enabled: boolean }).enabled, true);
    const broken = await fx.api
      .http()
      .put(`/v1/customers/${id}/streaming`)
      .set(ADMIN)
      .set('Content-Type', 'application/vnd.logstream+json')
      .send('{"enabled":');
    assert.equal(broken.status, 400);
    assert.match(errorShape(broken.body).message, /not valid JSON/);
    const text = await fx.api
      .http()
      .put(`/v1/customers/${id}/streaming`)
      .set(ADMIN)
      .set('Content-Type', 'text/plain')
      .send('enabled');
    assert.equal(text.status, 415);
  });

  it('tells a customer about a provisioning error in its own words; the admin sees the detail', async () => {
    const id = await tenants.customer();
    const { auth } = await tenants.token(id);
    const detail =
      'sync-acls: KafkaJSProtocolError: broker kafka-3.internal:9093 refused User:logstream-provisioner';
    await fx.db.query(
      `UPDATE customers SET last_error = $2, streaming_state = 'failed' WHERE id = $1`,
      [id, detail],
    );
    const customer = await fx.api.http().get(`/v1/customers/${id}/streaming`).set(auth);
    assert.equal(customer.status, 200);
    const said = (customer.body as { lastError: string }).lastError;
    assert.match(said, /retries by itself.*reference [0-9a-f]{10}/);
    for (const leak of ['kafka-3', '9093', 'KafkaJS', 'logstream-provisioner']) {
      assert.ok(!customer.text.includes(leak), `"${leak}" shown to the customer`);
    }
    const admin = await fx.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN);
    assert.equal((admin.body as { lastError: string }).lastError, detail);
  });

  it('a customer token cannot see or end another customer’s tokens', async () => {
    const mine = await tenants.customer();
    const theirs = await tenants.customer();
    const me = await tenants.token(mine);
    const them = await tenants.token(theirs);
    const list = await fx.api.http().get(`/v1/customers/${theirs}/tokens`).set(me.auth);
    assert.equal(list.status, 404);
    const end = await fx.api
      .http()
      .delete(`/v1/customers/${theirs}/tokens/${them.id}`)
      .set(me.auth);
    assert.equal(end.status, 404);
    const crossed = await fx.api
      .http()
      .delete(`/v1/customers/${mine}/tokens/${them.id}`)
      .set(me.auth);
    assert.equal(crossed.status, 404);
    assert.equal(
      (await fx.api.http().get(`/v1/customers/${theirs}`).set(bearer(them.token))).status,
      200,
    );
  });
});
