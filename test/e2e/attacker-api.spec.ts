import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { useTenantApi } from '../support/api-tenants';
import {
  ADMIN,
  binaryBody,
  controlApiTestConfig,
  errorShape,
  migratedDataSource,
  startControlApi,
  type TestApi,
} from '../support/control-api';

/**
 * The attacker's view of the control API (issue #17): a customer token flooding credential
 * issuing, a client forging X-Forwarded-For, and tokens that were revoked, expired or whose
 * customer is being deleted. Latency figures are reported, not asserted (see bench:credentials).
 */

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('attacker: a customer token issuing 300 credentials at once', () => {
  // The production defaults for issuing: 10 active, 10 a minute, 8 at once; 300 calls a
  // minute per customer.
  const fx = useTenantApi({
    LOGSTREAM_MAX_ACTIVE_CREDENTIALS: '10',
    LOGSTREAM_CREDENTIAL_ISSUE_RATE: '10',
    LOGSTREAM_CREDENTIAL_ISSUE_CONCURRENCY: '8',
    LOGSTREAM_API_PRINCIPAL_RATE_LIMIT: '300',
  });
  const { tenants } = fx;

  it('gets at most its limit, every other answer is 409 or 429 (never 500), probes keep answering', async (t) => {
    const id = await tenants.customer('flood');
    const { auth } = await tenants.token(id);
    const probes: number[] = [];
    let flooding = true;
    const probing = (async () => {
      while (flooding) {
        const started = process.hrtime.bigint();
        const res = await fx.api.http().get('/healthz');
        probes.push(Number(process.hrtime.bigint() - started) / 1e6);
        assert.equal(res.status, 200);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        fx.api
          .http()
          .post(`/v1/customers/${id}/credentials`)
          .set(auth)
          .buffer(true)
          .parse(binaryBody),
      ),
    );
    const floodMs = Date.now() - started;
    flooding = false;
    await probing;

    const byStatus = new Map<number, number>();
    for (const r of answers) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const summary = JSON.stringify(Object.fromEntries(byStatus));
    assert.deepEqual(
      [...byStatus.keys()].filter((s) => ![201, 409, 429].includes(s)),
      [],
      summary,
    );
    const issued = byStatus.get(201) ?? 0;
    assert.ok(issued >= 1 && issued <= 10, summary);
    for (const r of answers.filter((a) => a.status === 429)) {
      assert.ok(Number(r.headers['retry-after']) >= 1);
      errorShape(JSON.parse((r.body as Buffer).toString('utf8')));
    }
    const active: Array<{ n: string }> = await fx.db.query(
      'SELECT count(*) AS n FROM credentials WHERE customer_id = $1 AND revoked_at IS NULL',
      [id],
    );
    assert.equal(Number(active[0].n), issued);
    const reservations: Array<{ n: string }> = await fx.db.query(
      'SELECT count(*) AS n FROM credential_reservations WHERE customer_id = $1',
      [id],
    );
    assert.equal(Number(reservations[0].n), 0, 'every reservation was released');

    const sorted = [...probes].sort((x, y) => x - y);
    t.diagnostic(
      `300 issues in ${floodMs} ms: ${summary}; /healthz during it: ${probes.length} probes, ` +
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
        `max ${sorted[sorted.length - 1].toFixed(1)} ms`,
    );
    assert.ok(probes.length > 0);
  });
});

describe('attacker: forged X-Forwarded-For', () => {
  let db: DataSource;
  const apis: TestApi[] = [];

  before(async () => {
    db = await migratedDataSource();
  });

  after(async () => {
    for (const api of apis) await api.close();
    await db.destroy();
  });

  async function flood(env: Record<string, string>, forwarded: (i: number) => string) {
    const api = await startControlApi(
      controlApiTestConfig({ LOGSTREAM_API_RATE_LIMIT: '20', ...env }),
    );
    apis.push(api);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await api
        .http()
        .get('/v1/customers')
        .set({ Authorization: `Bearer guess-${randomBytes(8).toString('hex')}` })
        .set('X-Forwarded-For', forwarded(i));
      statuses.push(res.status);
    }
    return statuses;
  }

  const randomV4 = () => [...randomBytes(4)].join('.');
  const randomV6 = () =>
    `2001:db8:${randomBytes(2).toString('hex')}:1::${randomBytes(2).toString('hex')}`;

  it('straight to the API: a made-up header changes nothing, the socket address counts', async () => {
    const statuses = await flood({ LOGSTREAM_API_TRUST_PROXY: '10.0.0.1' }, () => randomV4());
    assert.equal(statuses.filter((s) => s === 401).length, 20);
    assert.equal(statuses.filter((s) => s === 429).length, 40);
  });

  it('through one trusted proxy: what the attacker put before the proxy’s entry is ignored', async () => {
    const statuses = await flood(
      { LOGSTREAM_API_TRUST_PROXY: '1' },
      () => `${randomV4()}, ${randomV6()}, 203.0.113.66`,
    );
    assert.equal(statuses.filter((s) => s === 401).length, 20);
    assert.equal(statuses.filter((s) => s === 429).length, 40);
  });

  it('from rotating addresses of one IPv6 /64: one bucket', async () => {
    const statuses = await flood(
      { LOGSTREAM_API_TRUST_PROXY: 'loopback' },
      () =>
        `2001:db8:66:1:${[...randomBytes(8)]
          .map((b) => b.toString(16))
          .join('')
          .slice(0, 4)}::1`,
    );
    assert.equal(statuses.filter((s) => s === 401).length, 20);
    assert.equal(statuses.filter((s) => s === 429).length, 40);
  });
});

describe('attacker: a token that was revoked, expired, or whose customer is being deleted', () => {
  const fx = useTenantApi();
  const { tenants } = fx;

  /** Every endpoint a customer token may call, each answering 401 with the same words. */
  async function assertLockedOut(id: string, auth: { Authorization: string }, what: string) {
    const attempts = [
      fx.api.http().get(`/v1/customers/${id}`),
      fx.api.http().get(`/v1/customers/${id}/streaming`),
      fx.api.http().put(`/v1/customers/${id}/streaming`).send({ enabled: true }),
      fx.api.http().post(`/v1/customers/${id}/credentials`),
      fx.api.http().get(`/v1/customers/${id}/credentials`),
      fx.api.http().get(`/v1/customers/${id}/tokens`),
    ];
    for (const attempt of attempts) {
      const res = await attempt.set(auth);
      assert.equal(res.status, 401, `${what}: ${res.status} ${res.text}`);
      assert.match(errorShape(res.body).message, /invalid or revoked token/);
    }
  }

  it('is refused everywhere once revoked, by the admin or by itself', async () => {
    const id = await tenants.customer('revoked');
    const stolen = await tenants.token(id);
    const own = await tenants.token(id);
    assert.equal((await fx.api.http().get(`/v1/customers/${id}`).set(stolen.auth)).status, 200);
    await fx.api.http().delete(`/v1/customers/${id}/tokens/${stolen.id}`).set(ADMIN).expect(204);
    await assertLockedOut(id, stolen.auth, 'revoked by the admin');
    await fx.api.http().delete(`/v1/customers/${id}/tokens/${own.id}`).set(own.auth).expect(204);
    await assertLockedOut(id, own.auth, 'revoked by itself');
    const rows: unknown[] = await fx.db.query('SELECT id FROM credentials WHERE customer_id = $1', [
      id,
    ]);
    assert.equal(rows.length, 0, 'no credential was issued to a revoked token');
  });

  it('is refused everywhere once expired', async () => {
    const id = await tenants.customer('expired');
    const t = await tenants.token(id, { ttl: 60 });
    await fx.db.query(
      `UPDATE customer_tokens SET expires_at = now() - interval '1 ms' WHERE id = $1`,
      [t.id],
    );
    await assertLockedOut(id, t.auth, 'expired');
  });

  it('is refused everywhere once its customer’s deletion is requested', async () => {
    const id = await tenants.customer('deleted');
    const t = await tenants.token(id);
    await fx.api.http().delete(`/v1/customers/${id}`).set(ADMIN).expect(202);
    await assertLockedOut(id, t.auth, 'customer being deleted');
  });
});
