import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { ADMIN, bearer, binaryBody, errorShape } from '../support/control-api';
import { randomUUID as randomUuid } from 'node:crypto';
import { randomCustomerId, randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import { eventually } from '../support/process';
import { type ApiCustomer, TenantPlatform } from '../support/tenant-platform';

type Send = (id: string, credentialId: string, tokenId: string) => request.Test;

/** A response body as text, also when it was read as binary (the zip endpoint). */
function textOf(res: request.Response): string {
  return Buffer.isBuffer(res.body) ? res.body.toString('utf8') : JSON.stringify(res.body);
}

function messageOf(res: request.Response): string {
  return errorShape(JSON.parse(textOf(res))).message;
}

/** Every endpoint the API documents, by who may call it (checked against /docs/openapi.json). */
const ADMIN_ONLY = [
  'POST /v1/customers',
  'GET /v1/customers',
  'DELETE /v1/customers/{id}',
  'POST /v1/customers/{id}/tokens',
  'POST /v1/customers/{id}/archive/trust',
  'PUT /v1/customers/{id}/quota',
  'DELETE /v1/customers/{id}/quota',
];
const CUSTOMER_SCOPED = [
  'GET /v1/customers/{id}',
  'GET /v1/customers/{id}/streaming',
  'PUT /v1/customers/{id}/streaming',
  'POST /v1/customers/{id}/credentials',
  'GET /v1/customers/{id}/credentials',
  'DELETE /v1/customers/{id}/credentials/{credentialId}',
  'GET /v1/customers/{id}/health',
  'GET /v1/customers/{id}/health/series',
  'POST /v1/customers/{id}/alerts',
  'GET /v1/customers/{id}/alerts',
  'DELETE /v1/customers/{id}/alerts/{alertId}',
  'GET /v1/customers/{id}/stats',
  'GET /v1/customers/{id}/stats/top',
  'GET /v1/customers/{id}/tokens',
  'GET /v1/customers/{id}/quota',
  'DELETE /v1/customers/{id}/tokens/{tokenId}',
  'GET /v1/customers/{id}/archive',
  'PUT /v1/customers/{id}/archive',
  'DELETE /v1/customers/{id}/archive',
  'POST /v1/customers/{id}/archive/verify',
];

/** An archive destination for the isolation checks (never contacted: it stays unverified). */
const ARCHIVE_SECRET = `iso-archive-secret-${randomToken()}${randomToken()}`;
const archiveBody = (bucket: string) => ({
  endpoint: 'https://127.0.0.1:9',
  bucket,
  accessKeyId: 'iso-key',
  secretAccessKey: ARCHIVE_SECRET,
});
const PUBLIC = ['GET /healthz', 'GET /readyz', 'GET /metrics'];

describe("tenant isolation in the control API: a customer's token", () => {
  let platform: TenantPlatform;
  let a: ApiCustomer;
  let b: ApiCustomer;
  let initial: { a: unknown; b: unknown; ids: string[] };
  const alertIds = new Map<string, string>();

  /** Everything the database holds for a customer: its row, credentials and tokens. */
  async function rowsOf(id: string) {
    const q = (sql: string) => platform.scratch.db.query<unknown[]>(sql, [id]);
    return {
      customer: await q('SELECT * FROM customers WHERE id = $1'),
      credentials: await q('SELECT * FROM credentials WHERE customer_id = $1 ORDER BY id'),
      tokens: await q('SELECT * FROM customer_tokens WHERE customer_id = $1 ORDER BY id'),
      archive: await q('SELECT * FROM customer_archives WHERE customer_id = $1'),
      alerts: await q('SELECT * FROM alert_subscriptions WHERE customer_id = $1 ORDER BY id'),
    };
  }
  async function databaseState() {
    const ids = await platform.scratch.db.query<Array<{ id: string }>>(
      'SELECT id FROM customers ORDER BY id',
    );
    return { a: await rowsOf(a.id), b: await rowsOf(b.id), ids: ids.map((r) => r.id) };
  }

  /** No trace of the victim in a response: its name, topic, credentials or secret line. */
  function assertNothingOf(victim: ApiCustomer, res: request.Response, what: string): void {
    const seen = `${textOf(res)} ${res.text ?? ''} ${JSON.stringify(res.headers)}`;
    for (const secret of [
      victim.name,
      victim.topic,
      victim.secretLine,
      `${victim.id}-bucket`,
      ARCHIVE_SECRET,
      ...victim.credentials.map((c) => c.principal),
    ]) {
      assert.ok(!seen.includes(secret), `${what} reveals "${secret}"`);
    }
  }

  before(async () => {
    platform = await TenantPlatform.start('isolation_api');
    a = await platform.createCustomer('iso-a', 1);
    b = await platform.createCustomer('iso-b', 1);
    await platform.waitUntilSettled(a.id, 'active');
    await platform.waitUntilSettled(b.id, 'active');
    await platform.writeSecretLines();
    for (const c of [a, b]) {
      const put = await platform.api
        .http()
        .put(`/v1/customers/${c.id}/archive`)
        .set(ADMIN)
        .send(archiveBody(`${c.id}-bucket`));
      assert.equal(put.status, 200, put.text);
      assert.ok(!put.text.includes(ARCHIVE_SECRET), 'the archive secret is never answered');
      const res = await platform.api
        .http()
        .post(`/v1/customers/${c.id}/alerts`)
        .set(ADMIN)
        .send({ url: 'https://hooks.example.com/x', rules: [{ type: 'lines-lost' }] });
      assert.equal(res.status, 201, res.text);
      alertIds.set(c.id, (res.body as { id: string }).id);
    }
    initial = await databaseState();
  });

  after(async () => {
    await platform?.close();
  });

  it('covers every endpoint the API documents', async () => {
    const res = await platform.api.http().get('/docs/openapi.json');
    assert.equal(res.status, 200);
    const paths = (res.body as { paths: Record<string, Record<string, unknown>> }).paths;
    const documented = Object.entries(paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    assert.deepEqual(documented.sort(), [...ADMIN_ONLY, ...CUSTOMER_SCOPED, ...PUBLIC].sort());
  });

  it('answers 403 on every admin endpoint, whichever customer it names', async () => {
    const http = () => platform.api.http();
    const fresh = randomCustomerId('iso-new');
    const cases: Array<[string, () => request.Test]> = [
      ['POST /v1/customers', () => http().post('/v1/customers').send({ id: fresh, name: 'Mine' })],
      ['GET /v1/customers', () => http().get('/v1/customers')],
      ['GET /v1/customers?limit=200', () => http().get('/v1/customers?limit=200')],
      ...[a, b].flatMap((c): Array<[string, () => request.Test]> => [
        [`DELETE /v1/customers/${c.id}`, () => http().delete(`/v1/customers/${c.id}`)],
        [`POST /v1/customers/${c.id}/tokens`, () => http().post(`/v1/customers/${c.id}/tokens`)],
        [
          `POST /v1/customers/${c.id}/archive/trust`,
          () => http().post(`/v1/customers/${c.id}/archive/trust`),
        ],
        // A customer raising its own quota is the point of the check.
        [
          `PUT /v1/customers/${c.id}/quota`,
          () =>
            http()
              .put(`/v1/customers/${c.id}/quota`)
              .send({ consumerByteRate: 1024 * 1024 * 1024, requestPercentage: 1000 }),
        ],
        [`DELETE /v1/customers/${c.id}/quota`, () => http().delete(`/v1/customers/${c.id}/quota`)],
      ]),
    ];
    for (const customer of [a, b]) {
      for (const [what, send] of cases) {
        const res = await send().set(customer.auth);
        assert.equal(res.status, 403, `${what}: ${JSON.stringify(res.body)}`);
        assert.match(errorShape(res.body).message, /needs an admin token/);
        assertNothingOf(customer === a ? b : a, res, what);
      }
    }
    assert.deepEqual(await databaseState(), initial, 'nothing created, deleted or issued');
  });

  it('answers 404 on every path of the other customer, word for word as for one that does not exist', async () => {
    const http = () => platform.api.http();
    const paths: Array<[string, Send]> = [
      ['GET customer', (id) => http().get(`/v1/customers/${id}`)],
      ['GET streaming', (id) => http().get(`/v1/customers/${id}/streaming`)],
      [
        'PUT streaming off',
        (id) => http().put(`/v1/customers/${id}/streaming`).send({ enabled: false }),
      ],
      [
        'POST credentials (download a bundle)',
        (id) => http().post(`/v1/customers/${id}/credentials`).buffer(true).parse(binaryBody),
      ],
      ['GET credentials', (id) => http().get(`/v1/customers/${id}/credentials`)],
      ['GET stats', (id) => http().get(`/v1/customers/${id}/stats?range=1h&step=5m`)],
      ['GET stats top', (id) => http().get(`/v1/customers/${id}/stats/top?range=1h&limit=5`)],
      ['DELETE credential', (id, cid) => http().delete(`/v1/customers/${id}/credentials/${cid}`)],
      ['GET tokens', (id) => http().get(`/v1/customers/${id}/tokens`)],
      ['GET quota', (id) => http().get(`/v1/customers/${id}/quota`)],
      ['DELETE token', (id, _cid, tid) => http().delete(`/v1/customers/${id}/tokens/${tid}`)],
      ['GET archive', (id) => http().get(`/v1/customers/${id}/archive`)],
      [
        'PUT archive',
        (id) => http().put(`/v1/customers/${id}/archive`).send(archiveBody('attacker-bucket')),
      ],
      ['DELETE archive', (id) => http().delete(`/v1/customers/${id}/archive`)],
      [
        'POST archive/verify',
        (id) => http().post(`/v1/customers/${id}/archive/verify`).send({ token: 'guess' }),
      ],
      ['GET health', (id) => http().get(`/v1/customers/${id}/health`)],
      [
        'GET health series',
        (id) => http().get(`/v1/customers/${id}/health/series?metric=maxLagSeconds&range=1h`),
      ],
      ['GET alerts', (id) => http().get(`/v1/customers/${id}/alerts`)],
      [
        'POST alerts',
        (id) =>
          http()
            .post(`/v1/customers/${id}/alerts`)
            .send({ url: 'https://hooks.example.com/y', rules: [{ type: 'lines-lost' }] }),
      ],
      [
        'DELETE alert',
        (id) => http().delete(`/v1/customers/${id}/alerts/${alertIds.get(id) ?? randomUuid()}`),
      ],
    ];
    for (const [attacker, victim] of [
      [a, b],
      [b, a],
    ]) {
      const ghost = randomCustomerId('iso-ghost');
      const victimCredential = victim.credentials[0].id;
      const victimTokens = await http().get(`/v1/customers/${victim.id}/tokens`).set(ADMIN);
      const victimToken = (victimTokens.body as Array<{ id: string }>)[0].id;
      for (const [what, send] of paths) {
        const res = await send(victim.id, victimCredential, victimToken).set(attacker.auth);
        assert.equal(res.status, 404, `${what} of ${victim.id}: ${textOf(res)}`);
        const unknown = await send(ghost, victimCredential, victimToken).set(attacker.auth);
        assert.equal(unknown.status, 404);
        assert.equal(messageOf(res), messageOf(unknown).replace(ghost, victim.id));
        assertNothingOf(victim, res, what);
      }
      // The other customer's credential id under its own path: as unknown as any other id.
      const crossed = await http()
        .delete(`/v1/customers/${attacker.id}/credentials/${victimCredential}`)
        .set(attacker.auth);
      const invented = randomToken() + randomToken();
      const unknown = await http()
        .delete(`/v1/customers/${attacker.id}/credentials/${invented}`)
        .set(attacker.auth);
      assert.equal(crossed.status, 404);
      assert.equal(
        errorShape(crossed.body).message,
        errorShape(unknown.body).message.replace(invented, victimCredential),
      );
      // The same for the other customer's token id: it cannot be revoked from here.
      const crossedToken = await http()
        .delete(`/v1/customers/${attacker.id}/tokens/${victimToken}`)
        .set(attacker.auth);
      const inventedToken = randomUUID();
      const unknownToken = await http()
        .delete(`/v1/customers/${attacker.id}/tokens/${inventedToken}`)
        .set(attacker.auth);
      assert.equal(crossedToken.status, 404);
      assert.equal(
        errorShape(crossedToken.body).message,
        errorShape(unknownToken.body).message.replace(inventedToken, victimToken),
      );
      // The other customer's alert id under its own path: as unknown as any other id.
      const victimAlert = alertIds.get(victim.id) ?? '';
      const crossedAlert = await http()
        .delete(`/v1/customers/${attacker.id}/alerts/${victimAlert}`)
        .set(attacker.auth);
      const ownList = await http().get(`/v1/customers/${attacker.id}/alerts`).set(attacker.auth);
      assert.equal(crossedAlert.status, 404);
      assert.equal(ownList.status, 200);
      assert.ok(!JSON.stringify(ownList.body).includes(victimAlert), 'no trace of B in A alerts');
    }
    assert.deepEqual(await databaseState(), initial, 'no switch, no credential, no revocation');
  });

  it('gives nothing away to path, query, body and token tricks', async () => {
    const http = () => platform.api.http();
    const denied: Array<[string, () => request.Test, number]> = [
      ['uppercase id', () => http().get(`/v1/customers/${b.id.toUpperCase()}`), 400],
      [
        'encoded traversal',
        () => http().get(`/v1/customers/${a.id}%2F..%2F${b.id}/streaming`),
        400,
      ],
      ['raw traversal', () => http().get(`/v1/customers/${a.id}/../${b.id}/streaming`), 404],
      ['id prefix of B', () => http().get(`/v1/customers/${b.id.slice(0, -1)}`), 404],
      [
        'B in the streaming body',
        () => http().put(`/v1/customers/${a.id}/streaming`).send({ enabled: false, id: b.id }),
        400,
      ],
      [
        'B in the credentials body',
        () => http().post(`/v1/customers/${a.id}/credentials`).send({ customerId: b.id }),
        400,
      ],
    ];
    for (const [what, send, status] of denied) {
      const res = await send().set(a.auth);
      assert.equal(res.status, status, `${what}: ${res.text}`);
      errorShape(res.body);
      assertNothingOf(b, res, what);
    }
    // A query naming B is ignored: the answer is A's own.
    const own = await http().get(`/v1/customers/${a.id}/streaming?id=${b.id}`).set(a.auth);
    assert.equal(own.status, 200);
    assert.equal((own.body as { topic: string }).topic, a.topic);

    const tampered = a.token.slice(0, -1) + (a.token.endsWith('x') ? 'y' : 'x');
    for (const auth of [
      bearer(tampered),
      bearer(`${a.token} ${b.token}`),
      { Authorization: a.token },
    ]) {
      const res = await http().get(`/v1/customers/${b.id}`).set(auth);
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assertNothingOf(b, res, 'a forged token');
    }
    assert.deepEqual(await databaseState(), initial);
  });

  it('public endpoints name no customer', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/docs/openapi.json']) {
      const res = await platform.api.http().get(path);
      assert.equal(res.status, 200, path);
      for (const c of [a, b]) assert.ok(!res.text.includes(c.id), `${path} names ${c.id}`);
    }
  });

  it('left B as it was: active, its rows untouched, its certificate still reads its line', async () => {
    const status = await platform.streaming(b.id);
    assert.equal(status.state, 'active');
    assert.equal(status.enabled, true);
    assert.deepEqual(await databaseState(), initial);
    const group = `${b.id}.check-${randomToken()}`;
    platform.groups.push(group);
    const read = await eventually(
      async () => {
        const res = await kcatSsl(
          b.credentials[0],
          ['-C', '-G', group, '-X', 'auto.offset.reset=earliest', '-c', '1', '-f', '%s\n', b.topic],
          15_000,
        );
        return res.code === 0 ? res.stdout : undefined;
      },
      'B to read its topic',
      20_000,
      500,
    );
    assert.equal(read, `${b.secretLine}\n`);
    const admin = await platform.api.http().get(`/v1/customers/${b.id}`).set(ADMIN);
    assert.equal((admin.body as { name: string }).name, b.name, 'the admin still sees B');
  });
});
