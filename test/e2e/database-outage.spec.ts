import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, customerConsumerAcls, KafkaAdminService } from '@logstream/kafka';
import { currentCustomerAcls } from '@logstream/provisioning';
import { consumerGroupPrefix, credentialPrincipal, customerTopic } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import {
  ADMIN,
  controlApiTestConfig,
  migratedDataSource,
  startControlApi,
  type TestApi,
} from '../support/control-api';
import { randomCustomerId, randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import { PrivatePostgres } from '../support/private-postgres';
import { eventually } from '../support/process';
import { randomLockKey, startProvisioner } from '../support/provisioner';
import { latestRegistryEntry } from '../support/registry';
import { unzipEntries } from '../support/zip';

const OUTAGE_MS = 30_000;

/**
 * One scenario across the parts: PostgreSQL goes down for 30 s right after a customer asked to
 * enable streaming, before any provisioning. The API answers 503 meanwhile, the provisioner
 * keeps running, and once the database is back the customer ends active with exactly the right
 * access and nothing stale.
 */
describe('database outage while a customer is being enabled', () => {
  let pg: PrivatePostgres;
  let db: DataSource;
  let api: TestApi;
  let provisioner: AppProcess;
  let admin: KafkaAdminService;
  let lockHolder: Client;
  const id = randomCustomerId('outage');

  before(async () => {
    pg = await PrivatePostgres.create(randomInt(40_000, 50_000));
    await pg.createDatabase('logstream');
    const url = pg.url('logstream');
    db = await migratedDataSource(url);
    api = await startControlApi(controlApiTestConfig({ LOGSTREAM_DATABASE_URL: url }));
    // The test holds the provisioners' lock until the outage, so the enable below is certainly
    // still pending when the database goes down (the provisioner, running, stands by).
    const lockKey = randomLockKey();
    lockHolder = new Client({ connectionString: url });
    lockHolder.on('error', () => undefined); // the outage ends this session, as intended
    await lockHolder.connect();
    await lockHolder.query('SELECT pg_advisory_lock($1)', [lockKey]);
    provisioner = startProvisioner({ url }, lockKey);
    await provisioner.waitForLog(
      (l) => l.msg === 'another provisioner holds the lock; standing by',
      'standby',
    );
    admin = new KafkaAdminService(createKafkaClient(loadKafkaConfig('logstream-test')));
    await admin.connect();
  });

  after(async () => {
    await provisioner?.stop();
    await api?.close();
    await db?.destroy().catch(() => undefined);
    pg?.destroy();
    await admin?.deleteTopic(customerTopic(id));
    await admin?.disconnect();
  });

  it('answers 503 during the outage and ends active and consistent after it', async () => {
    await api.http().post('/v1/customers').set(ADMIN).send({ id, name: 'Outage Ltd' }).expect(201);
    const zip = await api
      .http()
      .post(`/v1/customers/${id}/credentials`)
      .set(ADMIN)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(201);
    await api
      .http()
      .put(`/v1/customers/${id}/streaming`)
      .set(ADMIN)
      .send({ enabled: true })
      .expect(202);

    pg.stop('immediate');
    const downSince = Date.now();
    const during = await api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN);
    assert.equal(during.status, 503);
    assert.match((during.body as { message: string }).message, /database/i);
    await api.http().get('/readyz').expect(503);
    await sleep(OUTAGE_MS - (Date.now() - downSince));
    assert.equal(provisioner.running, true, 'the provisioner must ride out the outage');
    await pg.start();

    const status = await eventually(
      async () => {
        const res = await api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN);
        const body = res.body as { state?: string; lastError?: string | null };
        return res.status === 200 && body.state === 'active' ? body : undefined;
      },
      'the customer to become active after the outage',
      45_000,
      250,
    );
    assert.equal(status.lastError, null);
    await api.http().get('/readyz').expect(200);

    // Exactly the credential's access, the registry says enabled, and the customer consumes.
    const files = await unzipEntries(zip.body as Buffer);
    const dir = await mkdtemp(path.join(tmpdir(), 'logstream-outage-'));
    const pick = (name: string): Buffer => {
      const hit = [...files].find(([k]) => k.endsWith(`/${name}`));
      if (!hit) throw new Error(`bundle has no ${name}`);
      return hit[1];
    };
    for (const name of ['ca.pem', 'client.pem', 'client.key'])
      await writeFile(path.join(dir, name), pick(name));
    const cert = new (await import('node:crypto')).X509Certificate(pick('client.pem'));
    // The broker maps the subject O=customers, OU=<customer>, CN=<credential> to this principal.
    const credentialId = /^CN=(.+)$/m.exec(cert.subject)?.[1] ?? '';
    const principal = credentialPrincipal(id, credentialId);
    const acls = (await currentCustomerAcls(admin, id))
      .map((a) => `${a.principal} ${a.resource} ${a.name}`)
      .sort();
    const want = customerConsumerAcls(principal, id)
      .map((a) => `${a.principal} ${a.resource} ${a.name}`)
      .sort();
    assert.deepEqual(acls, want);
    const entry = await latestRegistryEntry(id);
    assert.equal(entry?.kind === 'upsert' && entry.record.enabled, true);

    const line = `outage-check ${randomToken()}`;
    const producer = createKafkaClient(loadKafkaConfig('logstream-test')).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({ topic: customerTopic(id), messages: [{ value: line }] });
    await producer.disconnect();
    const consumed = await kcatSsl(
      {
        caFile: path.join(dir, 'ca.pem'),
        certFile: path.join(dir, 'client.pem'),
        keyFile: path.join(dir, 'client.key'),
      },
      [
        '-C',
        '-G',
        `${consumerGroupPrefix(id)}outage`,
        '-X',
        'auto.offset.reset=earliest',
        '-c',
        '1',
        '-f',
        '%s\n',
        customerTopic(id),
      ],
    );
    assert.equal(consumed.stdout, `${line}\n`, consumed.stderr);
    assert.ok(
      provisioner.lines.some((l) => l.msg === 'cannot reach the database for the leader lock'),
      'the provisioner kept trying through the outage',
    );
  });
});
