import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { randomCustomerId, randomToken } from '../support/ids';
import { ADMIN, bearer, errorShape } from '../support/control-api';
import { useControlApi } from '../support/control-api-fixture';

describe('control API e2e: customers, tokens and auth', () => {
  const fx = useControlApi({ prefix: 'api' });
  const { createCustomer, generationOf, customerToken, created } = fx;

  describe('POST /v1/customers', () => {
    it('creates a customer with streaming off at generation 1', async () => {
      const id = randomCustomerId('api');
      const res = await fx.api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .send({ id, name: '  Acme Ünïcode 客户 🚀  ' });
      created.push(id);
      assert.equal(res.status, 201);
      assert.deepEqual(
        { ...res.body, createdAt: undefined, updatedAt: undefined },
        {
          id,
          name: 'Acme Ünïcode 客户 🚀',
          streamingEnabled: false,
          streamingState: 'disabled',
          generation: 1,
          observedGeneration: 0,
          deletionRequestedAt: null,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
      const get = await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN);
      assert.equal(get.status, 200);
      assert.deepEqual(get.body, res.body);
    });

    it('answers 409 for an id that exists and leaves that customer as it was', async () => {
      const id = await createCustomer('Original');
      const res = await fx.api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .send({ id, name: 'Impostor' });
      assert.equal(res.status, 409);
      assert.equal(errorShape(res.body).message, `customer "${id}" already exists`);
      const get = await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN);
      assert.equal((get.body as { name: string }).name, 'Original');
    });

    it('creates a customer once when many requests race for the same id', async () => {
      const id = randomCustomerId('api');
      created.push(id);
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          fx.api
            .http()
            .post('/v1/customers')
            .set(ADMIN)
            .send({ id, name: `Racer ${i}` }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, ...Array<number>(11).fill(409)]);
      const winner = responses.find((r) => r.status === 201)?.body as { name: string };
      const get = await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN);
      assert.equal((get.body as { name: string }).name, winner.name);
    });

    const badBodies: Array<[string, unknown, RegExp]> = [
      [
        'an uppercase id',
        { id: 'Acme', name: 'x' },
        /id is not a valid customer id: it must be lowercase/,
      ],
      ['a 64-character id', { id: 'a'.repeat(64), name: 'x' }, /at most 63 characters \(got 64\)/],
      ['an id with a dot', { id: 'a.b', name: 'x' }, /only lowercase letters/],
      ['an id ending in "-"', { id: 'acme-', name: 'x' }, /must not start or end with "-"/],
      ['a numeric id', { id: 42, name: 'x' }, /id is not a valid customer id: it must be a string/],
      ['no id', { name: 'x' }, /id is not a valid customer id/],
      ['no name', { id: 'acme' }, /name must be a string/],
      ['a numeric name', { id: 'acme', name: 7 }, /name must be a string/],
      ['a blank name', { id: 'acme', name: '   ' }, /name must be longer than or equal to 1/],
      [
        'a 201-character name',
        { id: 'acme', name: 'n'.repeat(201) },
        /shorter than or equal to 200/,
      ],
      [
        'a name with NUL',
        { id: 'acme', name: 'a\u0000b' },
        /plain text without control characters/,
      ],
      ['a lone surrogate', { id: 'acme', name: 'a\ud800b' }, /plain text/],
      [
        'an unknown field',
        { id: 'acme', name: 'x', plan: 'gold' },
        /property plan should not exist/,
      ],
      ['an array', [{ id: 'acme', name: 'x' }], /must be a JSON object/],
      ['no body', undefined, /id is not a valid customer id/],
    ];
    for (const [what, body, message] of badBodies) {
      it(`answers 400 for ${what}`, async () => {
        const req = fx.api.http().post('/v1/customers').set(ADMIN);
        const res = body === undefined ? await req : await req.send(body as object);
        assert.equal(res.status, 400);
        const err = errorShape(res.body);
        assert.equal(err.error, 'Bad Request');
        assert.match(err.message, message);
      });
    }

    it('answers 400 for malformed JSON, 415 for a body that is not JSON, 413 for a big one', async () => {
      const malformed = await fx.api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .set('Content-Type', 'application/json')
        .send('{"id": "acme", ');
      assert.equal(malformed.status, 400);
      assert.match(errorShape(malformed.body).message, /not valid JSON/);

      const form = await fx.api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('id=acme&name=x');
      assert.equal(form.status, 415);
      assert.match(errorShape(form.body).message, /Content-Type: application\/json/);

      const id = randomCustomerId('api');
      const big = await fx.api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .send({ id, name: 'x'.repeat(20_000) });
      assert.equal(big.status, 413);
      assert.match(errorShape(big.body).message, /at most 16384 bytes/);
      const get = await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN);
      assert.equal(get.status, 404, 'an oversize request must not create anything');
    });
  });

  describe('GET /v1/customers (paginated)', () => {
    it('walks the customers in id order, page by page', async () => {
      const prefix = `pg-${randomToken()}`;
      const ids = ['1', '2', '3', '4', '5'].map((n) => `${prefix}-${n}`);
      for (const id of ids) {
        const res = await fx.api.http().post('/v1/customers').set(ADMIN).send({ id, name: id });
        assert.equal(res.status, 201);
        created.push(id);
      }
      const seen: string[] = [];
      // A cursor is a customer id: `<prefix>-0` sorts just before the five.
      let after: string | null = `${prefix}-0`;
      for (let page = 0; page < 3 && after !== null; page++) {
        const res: { status: number; body: unknown } = await fx.api
          .http()
          .get('/v1/customers')
          .query({ limit: 2, after })
          .set(ADMIN);
        assert.equal(res.status, 200);
        const body = res.body as { items: Array<{ id: string }>; next: string | null };
        assert.ok(body.items.length <= 2);
        seen.push(...body.items.map((c) => c.id));
        after = body.next;
      }
      assert.deepEqual(seen.slice(0, 5), ids);
    });

    it('defaults to 50 per page and reports no next page at the end', async () => {
      const res = await fx.api.http().get('/v1/customers').query({ after: 'zzzzzzzz' }).set(ADMIN);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { items: [], next: null });
    });

    const badQueries: Array<[Record<string, string>, RegExp]> = [
      [{ limit: '0' }, /limit must not be less than 1/],
      [{ limit: '201' }, /limit must not be greater than 200/],
      [{ limit: 'ten' }, /limit must be an integer/],
      [{ limit: '1.5' }, /limit must be an integer/],
      [{ after: 'x'.repeat(64) }, /after must be shorter/],
      // A cursor is a customer id like any other: never passed on unchecked.
      [{ after: 'UPPER' }, /after is not a valid customer id: .*lowercase/],
      [{ after: '../..' }, /after is not a valid customer id/],
      [{ after: '-x' }, /after is not a valid customer id/],
      [{ page: '2' }, /property page should not exist/],
    ];
    for (const [query, message] of badQueries) {
      it(`answers 400 for ${JSON.stringify(query)}`, async () => {
        const res = await fx.api.http().get('/v1/customers').query(query).set(ADMIN);
        assert.equal(res.status, 400);
        assert.match(errorShape(res.body).message, message);
      });
    }
  });

  describe('GET /v1/customers/{id}', () => {
    it('answers 400 for an id that breaks the rule, naming the reason', async () => {
      const res = await fx.api.http().get('/v1/customers/Not_An_Id').set(ADMIN);
      assert.equal(res.status, 400);
      assert.equal(
        errorShape(res.body).message,
        'invalid customer id "Not_An_Id": it must be lowercase',
      );
    });

    it('answers 404 for a customer that does not exist', async () => {
      const id = randomCustomerId('nobody');
      const res = await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN);
      assert.equal(res.status, 404);
      assert.equal(errorShape(res.body).message, `customer "${id}" not found`);
    });
  });

  describe('authentication and scope', () => {
    it('answers 401 without a token, with a malformed header and with an unknown token', async () => {
      const id = await createCustomer();
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{}, /missing token/],
        [{ Authorization: 'Basic YWRtaW46YWRtaW4=' }, /malformed Authorization header/],
        [{ Authorization: 'Bearer' }, /malformed Authorization header/],
        [{ Authorization: 'Bearer with space' }, /malformed Authorization header/],
        [bearer('not-a-token'), /invalid or revoked token/],
        [bearer(`lsc_${randomToken()}`), /invalid or revoked token/],
        [bearer(`${ADMIN.Authorization.slice(7)}x`), /invalid or revoked token/],
      ];
      for (const [headers, message] of cases) {
        const res = await fx.api.http().get(`/v1/customers/${id}`).set(headers);
        assert.equal(res.status, 401, JSON.stringify(headers));
        assert.equal(res.headers['www-authenticate'], 'Bearer');
        assert.match(errorShape(res.body).message, message);
      }
    });

    it('issues customer tokens once, stores only their SHA-256, and they see their customer', async () => {
      const id = await createCustomer();
      const res = await fx.api.http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
      assert.equal(res.status, 201);
      const body = res.body as { id: string; customerId: string; token: string };
      assert.equal(body.customerId, id);
      assert.match(body.token, /^lsc_[A-Za-z0-9_-]{43}$/);
      const rows: Array<Record<string, unknown>> = await fx.db.query(
        'SELECT * FROM customer_tokens WHERE customer_id = $1',
        [id],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0].token_sha256, createHash('sha256').update(body.token).digest('hex'));
      assert.ok(!JSON.stringify(rows).includes(body.token), 'the token itself is not stored');

      const own = await fx.api.http().get(`/v1/customers/${id}`).set(bearer(body.token));
      assert.equal(own.status, 200);
      assert.equal((own.body as { id: string }).id, id);
      const second = await customerToken(id);
      assert.notEqual(second, body.token);
    });

    it("answers 404 when a customer token reaches for another customer's resources", async () => {
      const a = await createCustomer();
      const b = await createCustomer();
      const tokenA = await customerToken(a);
      const before = await generationOf(b);
      const requests = [
        fx.api.http().get(`/v1/customers/${b}`),
        fx.api.http().get(`/v1/customers/${b}/streaming`),
        fx.api.http().put(`/v1/customers/${b}/streaming`).send({ enabled: true }),
        fx.api.http().get(`/v1/customers/${b}/credentials`),
        fx.api.http().post(`/v1/customers/${b}/credentials`),
        fx.api.http().delete(`/v1/customers/${b}/credentials/abc123`),
      ];
      for (const req of requests) {
        const res = await req.set(bearer(tokenA));
        assert.equal(res.status, 404);
        assert.equal(errorShape(res.body).message, `customer "${b}" not found`);
      }
      assert.equal(await generationOf(b), before, "B's desired state is untouched");
      const listB: unknown[] = await fx.db.query(
        'SELECT 1 FROM credentials WHERE customer_id = $1',
        [b],
      );
      assert.equal(listB.length, 0);
    });

    it('answers 403 when a customer token calls an admin-only endpoint', async () => {
      const id = await createCustomer();
      const token = await customerToken(id);
      const requests = [
        fx.api
          .http()
          .post('/v1/customers')
          .send({ id: randomCustomerId('api'), name: 'x' }),
        fx.api.http().get('/v1/customers'),
        fx.api.http().delete(`/v1/customers/${id}`),
        fx.api.http().post(`/v1/customers/${id}/tokens`),
      ];
      for (const req of requests) {
        const res = await req.set(bearer(token));
        assert.equal(res.status, 403);
        assert.equal(errorShape(res.body).message, 'this operation needs an admin token');
      }
      const row: Array<{ deletion_requested_at: Date | null }> = await fx.db.query(
        'SELECT deletion_requested_at FROM customers WHERE id = $1',
        [id],
      );
      assert.equal(row[0].deletion_requested_at, null);
    });

    it('answers 404 when issuing a token for a customer that does not exist', async () => {
      const res = await fx.api
        .http()
        .post(`/v1/customers/${randomCustomerId('nobody')}/tokens`)
        .set(ADMIN);
      assert.equal(res.status, 404);
      errorShape(res.body);
    });

    it('refuses body fields on token issuance', async () => {
      const id = await createCustomer();
      const res = await fx.api
        .http()
        .post(`/v1/customers/${id}/tokens`)
        .set(ADMIN)
        .send({ customerId: 'someone-else' });
      assert.equal(res.status, 400);
      assert.match(errorShape(res.body).message, /property "customerId" should not exist/);
    });
  });

  describe('DELETE /v1/customers/{id}', () => {
    it('asks for deprovisioning once, freezes the customer, and the row goes when the provisioner is done', async () => {
      const id = await createCustomer();
      const token = await customerToken(id);
      await fx.api.http().put(`/v1/customers/${id}/streaming`).set(ADMIN).send({ enabled: true });
      const gen = await generationOf(id);

      const res = await fx.api.http().delete(`/v1/customers/${id}`).set(ADMIN);
      assert.equal(res.status, 202);
      const body = res.body as {
        deletionRequestedAt: string | null;
        streamingEnabled: boolean;
        streamingState: string;
        generation: number;
      };
      assert.ok(body.deletionRequestedAt !== null);
      assert.equal(body.streamingEnabled, false);
      assert.equal(body.streamingState, 'disabling');
      assert.equal(body.generation, gen + 1);

      const again = await fx.api.http().delete(`/v1/customers/${id}`).set(ADMIN);
      assert.equal(again.status, 202);
      assert.equal((again.body as { generation: number }).generation, gen + 1, 'no second bump');

      const frozen = [
        fx.api.http().put(`/v1/customers/${id}/streaming`).send({ enabled: true }),
        fx.api.http().post(`/v1/customers/${id}/credentials`),
        fx.api.http().post(`/v1/customers/${id}/tokens`),
      ];
      for (const req of frozen) {
        const r = await req.set(ADMIN);
        assert.equal(r.status, 409);
        assert.match(errorShape(r.body).message, /is being deleted/);
      }
      const recreate = await fx.api.http().post('/v1/customers').set(ADMIN).send({ id, name: 'x' });
      assert.equal(recreate.status, 409);
      assert.match(
        errorShape(recreate.body).message,
        /being deleted; create it again once it is gone/,
      );
      assert.equal(await generationOf(id), gen + 1);

      // The provisioner deletes the row once Kafka is clean; its tokens go with it.
      await fx.db.query('DELETE FROM customers WHERE id = $1', [id]);
      assert.equal((await fx.api.http().get(`/v1/customers/${id}`).set(ADMIN)).status, 404);
      assert.equal((await fx.api.http().get(`/v1/customers/${id}`).set(bearer(token))).status, 401);
      assert.equal((await fx.api.http().delete(`/v1/customers/${id}`).set(ADMIN)).status, 404);
    });

    it('answers 400 for a bad id and 404 for an unknown one', async () => {
      assert.equal((await fx.api.http().delete('/v1/customers/-bad').set(ADMIN)).status, 400);
      const res = await fx.api
        .http()
        .delete(`/v1/customers/${randomCustomerId('nobody')}`)
        .set(ADMIN);
      assert.equal(res.status, 404);
      errorShape(res.body);
    });
  });
});
