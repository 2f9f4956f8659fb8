import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kafka, Partitioners } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, customerConsumerAcls, KafkaAdminService } from '@logstream/kafka';
import type { CertificateAuthority } from '@logstream/pki';
import { currentCustomerAcls } from '@logstream/provisioning';
import { consumerGroupPrefix, customerTopic, type CustomerId } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { DesiredStateWriter } from '../support/desired-state';
import { randomCustomerId, randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import { eventually } from '../support/process';
import { latestRegistryEntry } from '../support/registry';
import { type ClientFiles, loadDevCa } from '../support/test-pki';
import { randomLockKey, startProvisioner, waitForState } from '../support/provisioner';

/** kcat as the customer would run it: a group under its prefix, the first message, then exit. */
function consumeOne(client: ClientFiles, id: CustomerId, timeoutMs = 12_000) {
  return kcatSsl(
    client,
    [
      '-C',
      '-G',
      `${consumerGroupPrefix(id)}${randomToken()}`,
      '-X',
      'auto.offset.reset=earliest',
      '-c',
      '1',
      '-f',
      '%s\n',
      customerTopic(id),
    ],
    timeoutMs,
  );
}

async function produce(kafka: Kafka, id: CustomerId, value: string): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: customerTopic(id), messages: [{ value }] });
  await producer.disconnect();
}

function sortedKeys(
  acls: Array<{ principal: string; resource: string; name: string; operation: string }>,
): string[] {
  return acls.map((a) => `${a.principal} ${a.operation} ${a.resource}:${a.name}`).sort();
}

describe('provisioner against the real broker and database', () => {
  let kafka: Kafka;
  let admin: KafkaAdminService;
  let ca: CertificateAuthority;
  let caFile: string;

  before(async () => {
    kafka = createKafkaClient(loadKafkaConfig('logstream-test'));
    admin = new KafkaAdminService(kafka);
    await admin.connect();
    ({ ca, caFile } = await loadDevCa());
  });

  after(async () => {
    await admin.disconnect();
  });

  describe('customer lifecycle', () => {
    let db: ScratchDatabase;
    let writer: DesiredStateWriter;
    let provisioner: AppProcess;
    const a = randomCustomerId('prov');
    const b = randomCustomerId('prov');
    let a1: ClientFiles;
    let a2: ClientFiles;
    let b1: ClientFiles;
    const line = `203.0.113.9 - - "GET /a HTTP/1.1" 200 ${randomToken()}`;

    before(async () => {
      db = await createScratchDatabase('lifecycle');
      writer = new DesiredStateWriter(db.db);
      provisioner = startProvisioner(db, randomLockKey());
      await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    });

    after(async () => {
      await provisioner.stop();
      const problems = provisioner.lines.filter((l) => l.level === 'warn' || l.level === 'error');
      if (problems.length > 0) console.log(problems.map((l) => JSON.stringify(l)).join('\n'));
      for (const id of [a, b]) await admin.deleteTopic(customerTopic(id));
      await db.drop();
    });

    it('enables a customer within seconds: its certificate consumes, another is denied', async () => {
      await writer.createCustomer(a);
      await writer.createCustomer(b);
      a1 = await writer.issueCredential(a, ca, caFile);
      a2 = await writer.issueCredential(a, ca, caFile);
      b1 = await writer.issueCredential(b, ca, caFile);
      const started = Date.now();
      await writer.setStreaming(a, true);
      await writer.setStreaming(b, true);
      const status = await waitForState(writer, a, 'active');
      const tookMs = Date.now() - started;
      assert.ok(tookMs < 10_000, `enable took ${tookMs} ms`);
      assert.equal(status.lastError, null);
      assert.ok(status.activeSince instanceof Date);
      assert.ok(status.provisioningMs !== null && status.provisioningMs >= 0);
      await waitForState(writer, b, 'active');

      await produce(kafka, a, line);
      const consumed = await consumeOne(a1, a);
      assert.equal(consumed.code, 0, consumed.stderr);
      assert.equal(consumed.stdout, `${line}\n`);
      const stolen = await kcatSsl(b1, ['-C', '-t', customerTopic(a), '-o', 'beginning', '-e']);
      assert.notEqual(stolen.code, 0);
      assert.match(stolen.stderr, /Topic authorization failed/i);
      assert.doesNotMatch(stolen.stdout, new RegExp(line.split(' ').pop() ?? line));

      const entry = await latestRegistryEntry(a);
      assert.equal(entry?.kind, 'upsert');
      assert.equal(entry?.kind === 'upsert' && entry.record.enabled, true);
      assert.equal(entry?.kind === 'upsert' && entry.record.generation, status.generation);
    });

    it('grants exactly READ on the topic and the group prefix to each live credential', async () => {
      const acls = await currentCustomerAcls(admin, a);
      const want = [
        ...customerConsumerAcls(a1.principal, a),
        ...customerConsumerAcls(a2.principal, a),
      ];
      assert.deepEqual(sortedKeys(acls), sortedKeys(want));
    });

    it('revokes one credential: it is denied while the other keeps consuming', async () => {
      await writer.revokeCredential(a, a1.principal);
      await waitForState(writer, a, 'active');
      const revoked = await kcatSsl(a1, ['-C', '-t', customerTopic(a), '-o', 'beginning', '-e']);
      assert.notEqual(revoked.code, 0);
      assert.match(revoked.stderr, /authorization failed/i);
      const kept = await consumeOne(a2, a);
      assert.equal(kept.code, 0, kept.stderr);
      assert.equal(kept.stdout, `${line}\n`);
    });

    it('repairs a topic deleted by hand on the next resync', async () => {
      await admin.deleteTopic(customerTopic(b));
      await eventually(
        async () => ((await admin.listTopics()).includes(customerTopic(b)) ? true : undefined),
        'the topic to come back',
        15_000,
      );
    });

    it('repairs an ACL removed by hand and removes one granted by hand', async () => {
      await admin.deleteAcls(customerConsumerAcls(b1.principal, b).slice(0, 1));
      // A rogue grant: A's live credential on B's topic.
      await admin.createAcls(customerConsumerAcls(a2.principal, b).slice(0, 1));
      const want = sortedKeys(customerConsumerAcls(b1.principal, b));
      await eventually(
        async () => {
          const acls = sortedKeys(await currentCustomerAcls(admin, b));
          return JSON.stringify(acls) === JSON.stringify(want) ? true : undefined;
        },
        "B's ACLs to be exactly its credential's again",
        15_000,
      );
    });

    it('disables a customer: every credential is denied and the registry says so; the topic stays', async () => {
      await writer.setStreaming(a, false);
      await waitForState(writer, a, 'disabled');
      const denied = await kcatSsl(a2, ['-C', '-t', customerTopic(a), '-o', 'beginning', '-e']);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /authorization failed/i);
      const entry = await latestRegistryEntry(a);
      assert.equal(entry?.kind === 'upsert' && entry.record.enabled, false);
      assert.deepEqual(await currentCustomerAcls(admin, a), []);
      assert.ok((await admin.listTopics()).includes(customerTopic(a)));
    });

    it('deletes a customer: topic gone, registry tombstoned, row removed', async () => {
      await writer.requestDeletion(b);
      await eventually(
        async () => ((await writer.status(b)) === undefined ? true : undefined),
        'the row to go',
        20_000,
      );
      assert.equal((await admin.listTopics()).includes(customerTopic(b)), false);
      assert.deepEqual(await currentCustomerAcls(admin, b), []);
      assert.deepEqual(await latestRegistryEntry(b), { kind: 'tombstone', customerId: b });
    });
  });
});
