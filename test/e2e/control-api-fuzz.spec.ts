import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { isCustomerId } from '@logstream/tenancy';
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
import { seededRandom } from '@logstream/traffic';

/** None of these is a valid customer id, so no request built from them may change anything. */
const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "x'; DROP TABLE customers; --",
  '1; SELECT pg_sleep(5)--',
  '$1',
  'acme\u0000',
  'a\\x00b',
  '../../etc/passwd',
  '..',
  '%00',
  '%2F',
  '%FF',
  'ACME',
  'acmé',
  '客户',
  '🚀',
  'a\u202eb',
  'a\u200db',
  'ａｃｍｅ',
  'ı',
  'e\u0301',
  '\ud800',
  '-',
  '',
  ' ',
  'a'.repeat(64),
  'x'.repeat(5000),
  '{"id":"acme"}',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '\r\nX-Injected: 1',
];

const RAW_BODIES: Array<string | Buffer> = [
  '{',
  '}',
  '{"id":',
  '{"enabled":tru}',
  "{'enabled': true}",
  '{"enabled": true,}',
  '{"a":1}}',
  'null',
  'true',
  '"enabled"',
  '42',
  '[]',
  '[{"enabled":true}]',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"enabled":1e999}',
  '{"enabled":"true","enabled":"false"}',
  '\u0000',
  `${'['.repeat(3000)}${']'.repeat(3000)}`,
  `{"name":"${'\\u0000'.repeat(100)}"}`,
  Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x7b]),
];

type Method = 'get' | 'post' | 'put' | 'delete';

/** Percent-encodes for a path; a lone surrogate becomes its (invalid) WTF-8 bytes. */
function pathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

describe('control API e2e: fuzzing every endpoint', () => {
  let api: TestApi;
  let db: DataSource;
  const seed = 20261123;
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let victim: string;
  let bystander: string;
  let victimCredential: string;
  let victimToken: string;
  const created: string[] = [];
  let requests = 0;

  function endpoints(id: string, credentialId: string): Array<[Method, string]> {
    return [
      ['post', '/v1/customers'],
      ['get', '/v1/customers'],
      ['get', `/v1/customers/${id}`],
      ['delete', `/v1/customers/${id}`],
      ['post', `/v1/customers/${id}/tokens`],
      ['get', `/v1/customers/${id}/streaming`],
      ['put', `/v1/customers/${id}/streaming`],
      ['post', `/v1/customers/${id}/credentials`],
      ['get', `/v1/customers/${id}/credentials`],
      ['delete', `/v1/customers/${id}/credentials/${credentialId}`],
    ];
  }

  /** Everything that describes the two real customers; it must not move. */
  async function snapshot(): Promise<string> {
    const ids = [victim, bystander];
    const customers: unknown[] = await db.query(
      'SELECT * FROM customers WHERE id = ANY($1) ORDER BY id',
      [ids],
    );
    const credentials: unknown[] = await db.query(
      'SELECT * FROM credentials WHERE customer_id = ANY($1) ORDER BY id',
      [ids],
    );
    const tokens: unknown[] = await db.query(
      'SELECT * FROM customer_tokens WHERE customer_id = ANY($1) ORDER BY id',
      [ids],
    );
    return JSON.stringify({ customers, credentials, tokens });
  }

  async function send(
    method: Method,
    path: string,
    body?: string | Buffer | object,
    headers: Record<string, string> = ADMIN,
    contentType = 'application/json',
  ): Promise<{ status: number; body: unknown }> {
    requests++;
    let req = api.http()[method](path).set(headers);
    if (body !== undefined) req = req.set('Content-Type', contentType).send(body);
    const res = await req;
    const what = `${method.toUpperCase()} ${path.slice(0, 80)} ${
      Buffer.isBuffer(body) ? '<bytes>' : JSON.stringify(body)?.slice(0, 80)
    } (seed ${seed})`;
    assert.ok(res.status < 500, `${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.status >= 400) errorShape(res.body);
    return res;
  }

  function randomValue(depth = 0): unknown {
    const r = random();
    if (r < 0.45) return pick(HOSTILE_STRINGS);
    if (r < 0.55) return pick([0, -1, 1, 1.5, 2 ** 53, -0, 1e308]);
    if (r < 0.6) return null;
    if (r < 0.75 && depth < 3)
      return Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomValue(depth + 1));
    if (depth < 3) return randomObject(depth + 1);
    return pick(HOSTILE_STRINGS);
  }

  /** Never empty and never a boolean `enabled`, so no fuzz body is a valid request. */
  function randomObject(depth = 0): Record<string, unknown> {
    const keys = [
      'id',
      'name',
      'enabled',
      'validityDays',
      'customerId',
      ...HOSTILE_STRINGS.slice(0, 8),
    ];
    const out: Record<string, unknown> = {};
    const n = 1 + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) out[pick(keys)] = randomValue(depth);
    return out;
  }

  before(async () => {
    for (const s of HOSTILE_STRINGS) assert.equal(isCustomerId(s), false, s);
    db = await migratedDataSource();
    api = await startControlApi(controlApiTestConfig());
    victim = randomCustomerId('fuzz');
    bystander = randomCustomerId('fuzz');
    for (const id of [victim, bystander]) {
      const res = await api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .send({ id, name: 'Fuzz target' });
      assert.equal(res.status, 201);
      created.push(id);
    }
    await api.http().put(`/v1/customers/${victim}/streaming`).set(ADMIN).send({ enabled: true });
    const issued = await api.http().post(`/v1/customers/${victim}/credentials`).set(ADMIN);
    victimCredential = issued.headers['x-credential-id'];
    victimToken = (
      (await api.http().post(`/v1/customers/${victim}/tokens`).set(ADMIN)).body as {
        token: string;
      }
    ).token;
  });

  after(async () => {
    await api.close();
    await deleteCustomers(db, created);
    await db.destroy();
  });

  it('answers hostile path ids with 400 or 404 and changes nothing', async () => {
    const before = await snapshot();
    // An empty segment is another route ("/v1/customers/" is the list), not a hostile id.
    for (const hostile of HOSTILE_STRINGS.filter((s) => s !== '')) {
      for (const [method, path] of endpoints(pathSegment(hostile), victimCredential)) {
        if (path === '/v1/customers') continue;
        const res = await send(method, path);
        assert.ok([400, 404].includes(res.status), `${method} ${path}: ${res.status}`);
      }
      for (const [method, path] of endpoints(victim, pathSegment(hostile))) {
        if (!path.includes('/credentials/')) continue;
        const res = await send(method, path);
        assert.ok([400, 404].includes(res.status), `${method} ${path}: ${res.status}`);
      }
    }
    // Raw, unencoded path tricks too.
    for (const path of [
      '/v1/customers/%',
      '/v1/customers/%E0%A4%A',
      '/v1/customers/a%00b/streaming',
    ]) {
      const res = await send('get', path);
      assert.equal(res.status, 400);
    }
    assert.equal(await snapshot(), before);
  });

  it('answers malformed, non-object and oddly encoded bodies with 4xx and changes nothing', async () => {
    const before = await snapshot();
    const withBodies = endpoints(victim, victimCredential).filter(
      ([m]) => m === 'post' || m === 'put',
    );
    for (const [method, path] of withBodies) {
      for (const body of RAW_BODIES) {
        const res = await send(method, path, body);
        assert.ok([400, 413, 415].includes(res.status), `${path} ${String(body)}: ${res.status}`);
      }
      for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
        const res = await send(method, path, '{"enabled":false}', ADMIN, type);
        assert.equal(res.status, 415);
      }
      const latin1 = await send(method, path, '{}', ADMIN, 'application/json; charset=latin1');
      assert.equal(latin1.status, 415);
    }
    assert.equal(await snapshot(), before);
  });

  it('answers bodies over the limit with 413 and changes nothing', async () => {
    const before = await snapshot();
    for (const size of [16_385, 100_000, 1_000_000]) {
      const body = JSON.stringify({ enabled: false, pad: 'x'.repeat(size) });
      const res = await send('put', `/v1/customers/${victim}/streaming`, body);
      assert.equal(res.status, 413);
    }
    assert.equal(await snapshot(), before);
  });

  it('answers random hostile JSON bodies on every endpoint with 4xx, never a change', async () => {
    const before = await snapshot();
    const all = [
      ...endpoints(victim, victimCredential),
      ...endpoints(bystander, victimCredential),
    ].filter(([m]) => m === 'post' || m === 'put');
    for (let i = 0; i < 300; i++) {
      const [method, path] = pick(all);
      const res = await send(method, path, randomObject());
      assert.ok(res.status >= 400, `${method} ${path} accepted a fuzz body (seed ${seed}, #${i})`);
    }
    assert.equal(await snapshot(), before);
  });

  it('refuses hostile tokens with 401, and a customer token stays in its scope', async () => {
    const before = await snapshot();
    const tokens = [
      "' OR '1'='1",
      "lsc_' OR 1=1 --",
      'lsc_',
      `lsc_${'A'.repeat(43)}`,
      victimToken.toUpperCase(),
      'x'.repeat(513),
      '%00',
    ];
    for (const token of tokens) {
      for (const [method, path] of endpoints(victim, victimCredential)) {
        const res = await send(method, path, undefined, { Authorization: `Bearer ${token}` });
        assert.equal(res.status, 401, `${method} ${path} with ${token.slice(0, 20)}`);
      }
    }
    for (const [method, path] of endpoints(bystander, victimCredential)) {
      if (method !== 'get') continue;
      const res = await send(method, path, undefined, bearer(victimToken));
      assert.ok([403, 404].includes(res.status), `${path}: ${res.status}`);
    }
    assert.equal(await snapshot(), before);
  });

  it('stores and returns names in any script exactly as sent', async () => {
    const names = [
      'Ünïcödé GmbH',
      '客户有限公司',
      'شركة البث',
      'Компания',
      '🚀 Rocket 🛰️ Logs',
      'e\u0301 combining',
      "O'Brien; DROP TABLE customers; --",
      'Robert"); --',
      '\u202eRTL override',
    ];
    for (const name of names) {
      const id = randomCustomerId('fuzz');
      const res = await send('post', '/v1/customers', { id, name });
      assert.equal(res.status, 201);
      created.push(id);
      const got = await send('get', `/v1/customers/${id}`);
      assert.equal((got.body as { name: string }).name, name);
    }
    const tables: unknown[] = await db.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'customers'",
    );
    assert.equal(tables.length, 1, 'the customers table is still there');
  });

  it('never stored a customer under a hostile id', async () => {
    const rows: unknown[] = await db.query('SELECT id FROM customers WHERE id = ANY($1)', [
      HOSTILE_STRINGS.filter((s) => !s.includes('\u0000')),
    ]);
    assert.deepEqual(rows, []);
    assert.ok(requests > 600, `only ${requests} requests were sent`);
  });
});
