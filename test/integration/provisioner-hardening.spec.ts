import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import {
  type AclBinding,
  aclKey,
  createKafkaClient,
  customerConsumerAcls,
  edgeProducerAcls,
  KafkaAdminService,
} from '@logstream/kafka';
import { bumpGeneration } from '@logstream/persistence';
import type { CertificateAuthority } from '@logstream/pki';
import { currentCustomerAcls } from '@logstream/provisioning';
import { customerTopic, TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { DesiredStateWriter } from '../support/desired-state';
import { randomCustomerId, randomToken } from '../support/ids';
import { eventually } from '../support/process';
import { randomLockKey, startProvisioner, waitForState } from '../support/provisioner';
import { type ClientFiles, loadDevCa } from '../support/test-pki';

const OPERATOR = `ops-audit-${randomToken()}`;
const EDGE = `edge-now-${randomToken()}`;

describe('provisioner hardening: whose grants it makes and which it removes', () => {
  let admin: KafkaAdminService;
  let ca: CertificateAuthority;
  let caFile: string;
  let db: ScratchDatabase;
  let writer: DesiredStateWriter;
  let provisioner: AppProcess;
  const c = randomCustomerId('hard');
  let c1: ClientFiles;
  const handMade: AclBinding[] = [];

  async function aclKeys(): Promise<Set<string>> {
    return new Set((await admin.describeAcls()).map(aclKey));
  }

  before(async () => {
    admin = new KafkaAdminService(createKafkaClient(loadKafkaConfig('logstream-test')));
    await admin.connect();
    ({ ca, caFile } = await loadDevCa());
    db = await createScratchDatabase('hardening');
    writer = new DesiredStateWriter(db.db);
    provisioner = startProvisioner(db, randomLockKey(), {
      LOGSTREAM_EDGE_PRINCIPALS: EDGE,
      LOGSTREAM_PROVISIONER_OPERATOR_PRINCIPALS: OPERATOR,
    });
    await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    await writer.createCustomer(c);
    c1 = await writer.issueCredential(c, ca, caFile);
    await writer.setStreaming(c, true);
    await waitForState(writer, c, 'active');
  });

  after(async () => {
    await provisioner?.stop();
    await admin.deleteAcls(handMade).catch(() => undefined);
    await admin.deleteAcls(edgeProducerAcls(EDGE)).catch(() => undefined);
    await admin.deleteTopic(customerTopic(c)).catch(() => undefined);
    await admin.disconnect();
    await db?.drop();
  });

  it("refuses a credential row naming a principal that is not the credential's own: failed, a clear lastError, no ACL", async () => {
    const credentialId = randomToken();
    await db.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO credentials (id, customer_id, principal, serial, fingerprint_sha256, expires_at)
         VALUES ($1, $2, $3, 'test', 'test', now() + interval '1 day')`,
        [credentialId, c, 'logstream-provisioner'],
      );
      await bumpGeneration(tx, c);
    });
    // A failure is reported without claiming the generation as reconciled.
    const status = await eventually(
      async () => {
        const s = await writer.status(c);
        return s?.state === 'failed' && s.generation > s.observedGeneration ? s : undefined;
      },
      'the customer to be reported failed',
      20_000,
      100,
    );
    assert.equal(
      status.lastError,
      `sync-acls: credential "${credentialId}" of customer "${c}" names principal "logstream-provisioner", not its own "customer.${c}.${credentialId}"; no access granted to it`,
    );
    const principals = new Set((await currentCustomerAcls(admin, c)).map((a) => a.principal));
    assert.deepEqual([...principals], [c1.principal]);
    const anywhere = await admin.describeAcls({ principal: 'logstream-provisioner' });
    assert.deepEqual(anywhere, []);

    await db.db.transaction(async (tx) => {
      await tx.query('DELETE FROM credentials WHERE id = $1', [credentialId]);
      await bumpGeneration(tx, c);
    });
    await waitForState(writer, c, 'active');
  });

  it("removes every hand-made grant on the customer's resources and every customer principal's grant elsewhere; keeps the operators'", async () => {
    const topic = customerTopic(c);
    const rogue: AclBinding[] = [
      { ...customerConsumerAcls(c1.principal, c)[0], permission: 'deny' },
      { ...customerConsumerAcls('mallory', c)[0], host: '10.1.2.3' },
      { ...customerConsumerAcls('mallory', c)[0], operation: 'write' },
      { ...customerConsumerAcls('mallory', c)[0], operation: 'alter_configs' },
      {
        principal: 'mallory',
        resource: 'topic',
        name: topic.slice(0, -2),
        pattern: 'prefixed',
        operation: 'read',
      },
      { principal: 'mallory', resource: 'group', name: '*', pattern: 'literal', operation: 'read' },
      {
        principal: 'mallory',
        resource: 'group',
        name: `${c}.x`,
        pattern: 'literal',
        operation: 'read',
      },
      {
        principal: c1.principal,
        resource: 'topic',
        name: TENANT_REGISTRY_TOPIC,
        pattern: 'literal',
        operation: 'read',
      },
      // An edge producer's grants for a principal no longer configured as one.
      ...edgeProducerAcls(`edge-gone-${randomToken()}`),
    ];
    const kept: AclBinding[] = [
      { ...customerConsumerAcls(OPERATOR, c)[0] },
      {
        principal: OPERATOR,
        resource: 'topic',
        name: '*',
        pattern: 'literal',
        operation: 'describe',
      },
      // A platform app's group prefix that is no customer's: not the provisioner's business.
      {
        principal: `logstream-archiver-${randomToken()}`,
        resource: 'group',
        name: 'archiver.',
        pattern: 'prefixed',
        operation: 'read',
      },
    ];
    handMade.push(...rogue, ...kept);
    await admin.createAcls([...rogue, ...kept]);
    await eventually(
      async () => {
        const now = await aclKeys();
        return rogue.every((a) => !now.has(aclKey(a))) ? true : undefined;
      },
      'the resync to remove every rogue grant',
      20_000,
      250,
    );
    const now = await aclKeys();
    for (const a of kept) assert.ok(now.has(aclKey(a)), `kept ${aclKey(a)}`);
    for (const a of [...customerConsumerAcls(c1.principal, c), ...edgeProducerAcls(EDGE)]) {
      assert.ok(now.has(aclKey(a)), `desired ${aclKey(a)}`);
    }
    assert.ok(
      provisioner.lines.some((l) => l.msg === 'removed an ACL nobody should hold'),
      'each removal is logged',
    );
  });
});
