import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { randomCustomerId } from '../support/ids';
import {
  ADMIN,
  bearer,
  binaryBody,
  controlApiTestConfig,
  errorShape,
} from '../support/control-api';
import { useControlApi } from '../support/control-api-fixture';
import { eventually } from '../support/process';
import { unzipEntries } from '../support/zip';

interface Credential {
  id: string;
  principal: string;
  serial: string;
  fingerprint: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

const MAX_ACTIVE = 3;

describe('control API e2e: credentials', () => {
  const config = controlApiTestConfig({
    LOGSTREAM_MAX_ACTIVE_CREDENTIALS: String(MAX_ACTIVE),
    LOGSTREAM_CREDENTIAL_VALIDITY_DAYS: '30',
  });

  function issue(id: string, auth: Record<string, string> = ADMIN) {
    return fx.api
      .http()
      .post(`/v1/customers/${id}/credentials`)
      .set(auth)
      .buffer(true)
      .parse(binaryBody);
  }

  async function list(id: string): Promise<Credential[]> {
    const res = await fx.api.http().get(`/v1/customers/${id}/credentials`).set(ADMIN);
    assert.equal(res.status, 200);
    return (res.body as { items: Credential[] }).items;
  }

  const fx = useControlApi({ prefix: 'cred', config: config, listen: true });
  const { createCustomer, generationOf } = fx;

  it('issues a certificate for a principal of its own and answers the zip bundle', async () => {
    const id = await createCustomer();
    const res = await issue(id);
    assert.equal(res.status, 201);
    assert.equal(res.headers['content-type'], 'application/zip');
    const credentialId = res.headers['x-credential-id'];
    assert.match(credentialId, /^[a-z0-9]{16}$/);
    assert.equal(
      res.headers['content-disposition'],
      `attachment; filename="${id}-logstream-${credentialId}.zip"`,
    );
    assert.equal(res.headers['cache-control'], 'no-store');

    const files = await unzipEntries(res.body as Buffer);
    const root = `${id}-logstream`;
    for (const name of ['README.md', 'ca.pem', 'client.pem', 'client.key']) {
      assert.ok(files.has(`${root}/${name}`), `${name} in ${[...files.keys()].join(', ')}`);
    }
    const certPem = files.get(`${root}/client.pem`)?.toString('utf8') ?? '';
    const keyPem = files.get(`${root}/client.key`)?.toString('utf8') ?? '';
    const caPem = files.get(`${root}/ca.pem`)?.toString('utf8') ?? '';
    // client.pem holds the credential's certificate, then the customer-issuing CA below the root.
    const [leafPem, issuerPem] = certPem.split(/(?<=-----END CERTIFICATE-----\n)/);
    const cert = new X509Certificate(leafPem);
    assert.equal(cert.subject, `O=customers\nOU=${id}\nCN=${credentialId}`);
    assert.equal(caPem, await readFile(config.credentials.brokerCaFile, 'utf8'));
    const issuer = new X509Certificate(issuerPem);
    assert.equal(cert.verify(issuer.publicKey), true, 'signed by the customer CA');
    assert.equal(issuer.verify(new X509Certificate(caPem).publicKey), true, 'below the root');
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(cert.checkPrivateKey(createPrivateKey(keyPem)), true);
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `valid for ${days} days`);

    const [listed] = await list(id);
    assert.equal(listed.id, credentialId);
    assert.equal(listed.principal, `customer.${id}.${credentialId}`);
    assert.equal(listed.fingerprint, cert.fingerprint256);
    assert.equal(listed.serial.toUpperCase(), cert.serialNumber.toUpperCase());
    assert.equal(listed.revokedAt, null);
    assert.equal(new Date(listed.expiresAt).getTime(), Date.parse(cert.validTo));

    // The key never reaches the database.
    const rows: unknown[] = await fx.db.query('SELECT * FROM credentials WHERE customer_id = $1', [
      id,
    ]);
    const stored = JSON.stringify(rows);
    const keyBody = keyPem.split('\n')[1];
    assert.ok(!stored.includes('PRIVATE KEY') && !stored.includes(keyBody));
    assert.equal(await generationOf(id), 2, 'issuing is a desired-state change');
  });

  it('lists, then revokes once: 204, the generation bumps, the provisioner is woken', async () => {
    const id = await createCustomer();
    const first = (await issue(id)).headers['x-credential-id'];
    const second = (await issue(id)).headers['x-credential-id'];
    assert.deepEqual(
      (await list(id)).map((c) => c.id),
      [first, second],
    );
    const gen = await generationOf(id);
    const woken = fx.listener.for(id);

    const res = await fx.api.http().delete(`/v1/customers/${id}/credentials/${first}`).set(ADMIN);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(await generationOf(id), gen + 1);
    await eventually(
      () => Promise.resolve(fx.listener.for(id) > woken ? true : undefined),
      'the revocation to wake the provisioner',
      5000,
      20,
    );
    const after = await list(id);
    assert.ok(after.find((c) => c.id === first)?.revokedAt, 'revokedAt recorded');
    assert.equal(after.find((c) => c.id === second)?.revokedAt, null, 'the other one untouched');

    const again = await fx.api.http().delete(`/v1/customers/${id}/credentials/${first}`).set(ADMIN);
    assert.equal(again.status, 204);
    assert.equal(await generationOf(id), gen + 1, 'revoking again changes nothing');
  });

  it(`refuses a credential beyond ${MAX_ACTIVE} active ones with 409 until one is revoked`, async () => {
    const id = await createCustomer();
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE; i++) {
      const res = await issue(id);
      assert.equal(res.status, 201);
      ids.push(res.headers['x-credential-id']);
    }
    const gen = await generationOf(id);
    const refused = await fx.api.http().post(`/v1/customers/${id}/credentials`).set(ADMIN);
    assert.equal(refused.status, 409);
    assert.match(errorShape(refused.body).message, /already has 3 active credentials.*revoke one/);
    assert.equal((await list(id)).length, MAX_ACTIVE);
    assert.equal(await generationOf(id), gen);

    await fx.api.http().delete(`/v1/customers/${id}/credentials/${ids[0]}`).set(ADMIN);
    assert.equal((await issue(id)).status, 201);
  });

  it('lets a customer token manage its own credentials and nobody else’s', async () => {
    const mine = await createCustomer();
    const other = await createCustomer();
    const token = (
      (await fx.api.http().post(`/v1/customers/${mine}/tokens`).set(ADMIN)).body as {
        token: string;
      }
    ).token;
    const res = await issue(mine, bearer(token));
    assert.equal(res.status, 201);
    const credentialId = res.headers['x-credential-id'];
    const own = await fx.api.http().get(`/v1/customers/${mine}/credentials`).set(bearer(token));
    assert.equal(own.status, 200);
    assert.equal((own.body as { items: Credential[] }).items.length, 1);

    const otherCredential = (await issue(other)).headers['x-credential-id'];
    const revokeOther = await fx.api
      .http()
      .delete(`/v1/customers/${other}/credentials/${otherCredential}`)
      .set(bearer(token));
    assert.equal(revokeOther.status, 404);
    // Even with the other customer's credential id under its own customer: not found.
    const crossed = await fx.api
      .http()
      .delete(`/v1/customers/${mine}/credentials/${otherCredential}`)
      .set(bearer(token));
    assert.equal(crossed.status, 404);
    assert.match(errorShape(crossed.body).message, /credential ".*" not found for customer/);
    assert.equal((await list(other))[0].revokedAt, null);

    const revokeOwn = await fx.api
      .http()
      .delete(`/v1/customers/${mine}/credentials/${credentialId}`)
      .set(bearer(token));
    assert.equal(revokeOwn.status, 204);
  });

  it('answers 400 for bad ids or body fields, 404 for unknown ones, and records nothing', async () => {
    const id = await createCustomer();
    const cases: Array<[() => ReturnType<typeof issue>, number, RegExp]> = [
      [
        () => fx.api.http().post('/v1/customers/Nope/credentials').set(ADMIN),
        400,
        /invalid customer id/,
      ],
      [
        () =>
          fx.api
            .http()
            .post(`/v1/customers/${id}/credentials`)
            .set(ADMIN)
            .send({ validityDays: 9999 }),
        400,
        /property "validityDays" should not exist/,
      ],
      [
        () => fx.api.http().delete(`/v1/customers/${id}/credentials/NOT-VALID`).set(ADMIN),
        400,
        /invalid credential id "NOT-VALID"/,
      ],
      [
        () =>
          fx.api
            .http()
            .delete(`/v1/customers/${id}/credentials/${'a'.repeat(33)}`)
            .set(ADMIN),
        400,
        /invalid credential id/,
      ],
      [
        () => fx.api.http().delete(`/v1/customers/${id}/credentials/abcdef123456`).set(ADMIN),
        404,
        /credential "abcdef123456" not found/,
      ],
      [
        () =>
          fx.api
            .http()
            .post(`/v1/customers/${randomCustomerId('nobody')}/credentials`)
            .set(ADMIN),
        404,
        /customer ".*" not found/,
      ],
      [
        () =>
          fx.api
            .http()
            .get(`/v1/customers/${randomCustomerId('nobody')}/credentials`)
            .set(ADMIN),
        404,
        /customer ".*" not found/,
      ],
      [() => fx.api.http().get(`/v1/customers/${id}/credentials`), 401, /missing token/],
    ];
    for (const [send, status, message] of cases) {
      const res = await send();
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(errorShape(res.body).message, message);
    }
    assert.deepEqual(await list(id), []);
    assert.equal(await generationOf(id), 1);
  });
});
