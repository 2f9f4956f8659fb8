import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type request from 'supertest';
import { sha256Hex } from '@logstream/panel';
import { ADMIN, binaryBody, TEST_ADMIN_TOKEN } from '../support/control-api';
import { randomCustomerId } from '../support/ids';
import { baseUrl, PANEL_TEST_ENV, panelCustomer } from '../support/panel';
import { type ApiCustomer, TenantPlatform } from '../support/tenant-platform';

/** Every route the panel serves, by who may use it (checked against the routes Nest mapped). */
const PANEL_PUBLIC = ['GET /panel/sign-in', 'POST /panel/sign-in', 'GET /panel/assets/:name'];
const PANEL_ANY_SESSION = ['GET /panel', 'POST /panel/sign-out'];
const PANEL_ADMIN_ONLY = ['GET /panel/customers'];
/** `{id}` is the customer; a customer's session gets the API's 404 for any other. */
const PANEL_CUSTOMER_SCOPED = [
  'GET /panel/customers/:id',
  'GET /panel/customers/:id/streaming',
  'POST /panel/customers/:id/streaming',
  'GET /panel/customers/:id/credentials',
  'POST /panel/customers/:id/credentials',
  'POST /panel/customers/:id/credentials/:credentialId/revoke',
  'GET /panel/customers/:id/health',
  'GET /panel/customers/:id/stats',
  'GET /panel/customers/:id/tail',
  'GET /panel/customers/:id/archive',
];

interface Session {
  cookie: string;
  csrf: string;
}

/** The message of an HTML error page or fragment (the API's words). */
function alertOf(res: request.Response): string {
  const m = /<p class="alert" role="alert" data-status="(\d+)">([^<]*)<\/p>/.exec(res.text);
  assert.ok(m, `an error message in: ${res.text.slice(0, 300)}`);
  return m[2].replace(/&quot;/g, '"');
}

describe("tenant isolation in the panel: a customer's session", () => {
  let platform: TenantPlatform;
  let origin: string;
  let a: ApiCustomer;
  let b: ApiCustomer;
  let bCredential = '';
  let bBucket = '';
  let aSession: Session;

  const http = () => platform.api.http();
  /** A browser's same-origin POST. */
  const sameOrigin = () => ({ Origin: origin, 'Sec-Fetch-Site': 'same-origin' });

  async function signIn(token: string): Promise<Session> {
    const res = await http().post('/panel/sign-in').set(sameOrigin()).type('form').send({ token });
    assert.equal(res.status, 303, res.text);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const page = await http().get('/panel').set('Cookie', cookie).redirects(1);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(csrf, 'a CSRF token in the page');
    return { cookie, csrf };
  }

  function send(s: Session | undefined, route: string, id: string, credentialId: string) {
    const [method, template] = route.split(' ');
    const path = template.replace(':id', id).replace(':credentialId', credentialId);
    const req = method === 'GET' ? http().get(path) : http().post(path).set(sameOrigin());
    if (s) req.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    if (method === 'POST') {
      const fields = template.endsWith('/streaming')
        ? { enabled: 'false' }
        : template.endsWith('/revoke')
          ? { confirm: 'yes' }
          : {};
      req.type('form').send(fields);
    }
    return req.buffer(true).parse(binaryBody);
  }

  before(async () => {
    platform = await TenantPlatform.start('isolation_panel', PANEL_TEST_ENV);
    origin = baseUrl(platform);
    a = await panelCustomer(platform, 'ipa', true);
    b = await panelCustomer(platform, 'ipb', true);
    bBucket = `${b.id}-logs`;
    const issued = await http()
      .post(`/v1/customers/${b.id}/credentials`)
      .set(b.auth)
      .buffer(true)
      .parse(binaryBody);
    assert.equal(issued.status, 201);
    bCredential = String(issued.headers['x-credential-id']);
    // B's archive: its bucket must not show on any of A's answers (nothing uploads here).
    const archive = await http().put(`/v1/customers/${b.id}/archive`).set(b.auth).send({
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      bucket: bBucket,
      accessKeyId: 'AKIAISOLATIONTEST',
      secretAccessKey: 'isolation-test-secret',
    });
    assert.equal(archive.status, 200, archive.text);
    aSession = await signIn(a.token);
  });

  after(async () => {
    await platform?.close();
  });

  it('classifies every route the panel serves', () => {
    const mapped = platform.api.logs
      .map((l) => JSON.parse(l) as { msg?: string })
      .map((l) => /^Mapped \{(\/panel[^,]*), (\w+)\} route$/.exec(l.msg ?? ''))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(
      mapped.sort(),
      [...PANEL_PUBLIC, ...PANEL_ANY_SESSION, ...PANEL_ADMIN_ONLY, ...PANEL_CUSTOMER_SCOPED].sort(),
    );
  });

  it('answers 404 on every route of the other customer, word for word as for one that does not exist, and changes nothing', async () => {
    const ghost = randomCustomerId('ghost');
    const before = await platform.streaming(b.id);
    for (const route of PANEL_CUSTOMER_SCOPED) {
      const theirs = await send(aSession, route, b.id, bCredential);
      const nobody = await send(aSession, route, ghost, bCredential);
      assert.equal(theirs.status, 404, `${route}: ${theirs.status}`);
      assert.equal(nobody.status, 404, route);
      const text = (res: request.Response) => (res.body as Buffer).toString('utf8');
      const message = (res: request.Response) => alertOf({ text: text(res) } as request.Response);
      assert.equal(message(theirs), message(nobody).replace(ghost, b.id), route);
      assert.equal(message(theirs), `customer "${b.id}" not found`);
      const seen = text(theirs) + JSON.stringify(theirs.headers);
      for (const secret of [b.name, b.topic, bCredential, bBucket]) {
        if (route.includes(':credentialId') && secret === bCredential) continue;
        assert.ok(!seen.includes(secret), `${route} reveals ${secret}`);
      }
    }
    // B's credential under A's own path is not A's.
    const under = await send(aSession, PANEL_CUSTOMER_SCOPED[5], a.id, bCredential);
    assert.equal(under.status, 404);
    assert.equal(
      alertOf({ text: (under.body as Buffer).toString('utf8') } as request.Response),
      `credential "${bCredential}" not found for customer "${a.id}"`,
    );
    const after = await platform.streaming(b.id);
    assert.equal(after.enabled, before.enabled);
    assert.equal(after.generation, before.generation);
    const list = await http().get(`/v1/customers/${b.id}/credentials`).set(ADMIN);
    assert.equal(
      (list.body as { items: Array<{ revokedAt: string | null }> }).items[0].revokedAt,
      null,
    );
  });

  it('keeps admin routes for admins, and signed-in routes for sessions', async () => {
    const listed = await http().get('/panel/customers').set('Cookie', aSession.cookie);
    assert.equal(listed.status, 403);
    assert.equal(alertOf(listed), 'this operation needs an admin token');
    assert.ok(!listed.text.includes(b.id));
    for (const route of [...PANEL_ANY_SESSION, ...PANEL_ADMIN_ONLY, ...PANEL_CUSTOMER_SCOPED]) {
      const page = await send(undefined, route, a.id, 'x').set('Accept', 'text/html');
      if (route.startsWith('GET')) {
        assert.equal(page.status, 303, route);
        assert.equal(page.headers.location, '/panel/sign-in');
      } else {
        assert.equal(page.status, 401, route);
      }
      const fragment = await send(undefined, route, a.id, 'x').set('HX-Request', 'true');
      assert.equal(fragment.status, 401, route);
    }
    const admin = await signIn(TEST_ADMIN_TOKEN);
    const all = await http().get('/panel/customers').set('Cookie', admin.cookie);
    assert.equal(all.status, 200);
    assert.ok(all.text.includes(a.id) && all.text.includes(b.id));
  });

  it('refuses state changes from another site, without Origin, or without the CSRF token', async () => {
    const before = await platform.streaming(a.id);
    const post = () =>
      http().post(`/panel/customers/${a.id}/streaming`).set('Cookie', aSession.cookie).type('form');
    const attempts: Array<[string, request.Test]> = [
      [
        'cross-site',
        post()
          .set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'http://evil.example' })
          .send({ enabled: 'false', _csrf: aSession.csrf }),
      ],
      [
        'same-site',
        post()
          .set({ 'Sec-Fetch-Site': 'same-site' })
          .send({ enabled: 'false', _csrf: aSession.csrf }),
      ],
      [
        'other origin',
        post()
          .set({ Origin: 'http://evil.example' })
          .send({ enabled: 'false', _csrf: aSession.csrf }),
      ],
      ['no origin', post().send({ enabled: 'false', _csrf: aSession.csrf })],
      ['no CSRF token', post().set(sameOrigin()).send({ enabled: 'false' })],
      [
        'wrong CSRF token',
        post()
          .set(sameOrigin())
          .send({ enabled: 'false', _csrf: 'x'.repeat(32) }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const res = await attempt;
      assert.equal(res.status, 403, what);
      assert.match(alertOf(res), /^refused: /, what);
    }
    const signInFromElsewhere = await http()
      .post('/panel/sign-in')
      .set({ 'Sec-Fetch-Site': 'cross-site' })
      .type('form')
      .send({ token: a.token });
    assert.equal(signInFromElsewhere.status, 403);
    assert.equal(signInFromElsewhere.headers['set-cookie'], undefined);
    const after = await platform.streaming(a.id);
    assert.equal(after.generation, before.generation);
    assert.equal(after.enabled, true);
  });

  it('works without JavaScript: form posts redirect back, revoke asks for confirmation first', async () => {
    const s = aSession;
    const issued = await http()
      .post(`/panel/customers/${a.id}/credentials`)
      .set(sameOrigin())
      .set('Cookie', s.cookie)
      .type('form')
      .send({ _csrf: s.csrf })
      .buffer(true)
      .parse(binaryBody);
    assert.equal(issued.status, 201);
    assert.equal(issued.headers['content-type'], 'application/zip');
    const id = String(issued.headers['x-credential-id']);
    const ask = await http()
      .post(`/panel/customers/${a.id}/credentials/${id}/revoke`)
      .set(sameOrigin())
      .set('Cookie', s.cookie)
      .type('form')
      .send({ _csrf: s.csrf });
    assert.equal(ask.status, 200);
    assert.match(ask.text, /Revoke this credential\?/);
    assert.match(ask.text, /name="confirm" value="yes"/);
    const listed = await http().get(`/v1/customers/${a.id}/credentials`).set(a.auth);
    assert.equal(
      (listed.body as { items: Array<{ id: string; revokedAt: string | null }> }).items.find(
        (c) => c.id === id,
      )?.revokedAt,
      null,
    );
    const done = await http()
      .post(`/panel/customers/${a.id}/credentials/${id}/revoke`)
      .set(sameOrigin())
      .set('Cookie', s.cookie)
      .type('form')
      .send({ _csrf: s.csrf, confirm: 'yes' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, `/panel/customers/${a.id}#credentials`);
    const off = await http()
      .post(`/panel/customers/${a.id}/streaming`)
      .set(sameOrigin())
      .set('Cookie', s.cookie)
      .type('form')
      .send({ _csrf: s.csrf, enabled: 'false' });
    assert.equal(off.status, 303);
    assert.equal((await platform.streaming(a.id)).enabled, false);
    const bad = await http()
      .post(`/panel/customers/${a.id}/streaming`)
      .set(sameOrigin())
      .set('Cookie', s.cookie)
      .type('form')
      .send({ _csrf: s.csrf, enabled: 'maybe' });
    assert.equal(bad.status, 400);
    assert.equal(alertOf(bad), 'enabled must be true or false');
  });

  it('serves every page with a strict CSP, nosniff and no framing', async () => {
    for (const path of ['/panel/sign-in', `/panel/customers/${a.id}`, '/panel/assets/panel.js']) {
      const res = await http().get(path).set('Cookie', aSession.cookie);
      assert.equal(res.status, 200, path);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
    const page = await http().get(`/panel/customers/${a.id}`).set('Cookie', aSession.cookie);
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(page.text, /\sstyle=|<style/, 'no inline style');
    assert.doesNotMatch(page.text, /https?:\/\//, 'nothing loaded from elsewhere');
  });

  it('keeps sessions hashed, and ends them: idle, absolute, token revoked, customer deleted', async () => {
    const db = platform.scratch.db;
    const check = async (s: Session) =>
      (await http().get(`/panel/customers/${a.id}`).set('Cookie', s.cookie)).status;
    const keyOf = (s: Session) => sha256Hex(s.cookie.split('=')[1]);
    const rows = await db.query<Array<{ id_sha256: string }>>(
      'SELECT id_sha256 FROM panel_sessions',
    );
    assert.ok(rows.some((r) => r.id_sha256 === keyOf(aSession)));
    const dump = JSON.stringify(await db.query('SELECT * FROM panel_sessions'));
    assert.ok(!dump.includes(aSession.cookie.split('=')[1]) && !dump.includes(a.token));

    const idle = await signIn(a.token);
    await db.query(
      `UPDATE panel_sessions SET last_seen_at = now() - interval '2 hours' WHERE id_sha256 = $1`,
      [keyOf(idle)],
    );
    assert.equal(await check(idle), 303);
    const old = await signIn(a.token);
    await db.query('UPDATE panel_sessions SET expires_at = now() WHERE id_sha256 = $1', [
      keyOf(old),
    ]);
    assert.equal(await check(old), 303);

    assert.equal(await check(aSession), 200);
    await db.query('UPDATE customer_tokens SET revoked_at = now() WHERE customer_id = $1', [a.id]);
    assert.equal(await check(aSession), 303, 'the token was revoked');

    const c = await panelCustomer(platform, 'ipc', false);
    const cs = await signIn(c.token);
    assert.equal(
      (await http().get(`/panel/customers/${c.id}`).set('Cookie', cs.cookie)).status,
      200,
    );
    await http().delete(`/v1/customers/${c.id}`).set(ADMIN).expect(202);
    assert.equal(
      (await http().get(`/panel/customers/${c.id}`).set('Cookie', cs.cookie)).status,
      303,
    );
  });
});
