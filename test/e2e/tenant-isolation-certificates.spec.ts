import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { Partitioners } from 'kafkajs';
import { CertificateAuthority } from '@logstream/pki';
import { CUSTOMER_SUBJECT_ORGANIZATION, TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';
import {
  assertDenied,
  customerKafka,
  customerWire,
  kcatConsumeOne,
  kcatReadsFirstLine,
} from '../support/attacker';
import { ADMIN } from '../support/control-api';
import { randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import {
  type ClientFiles,
  loadCustomerCa,
  loadDevCa,
  writeClientCertificate,
} from '../support/test-pki';
import {
  type ApiCustomer,
  type BundleCredential,
  TenantPlatform,
} from '../support/tenant-platform';

const DAY_MS = 86_400_000;

/**
 * The TLS alert a broker sends when it refuses the client's certificate. A client-side failure
 * (its own CA file wrong, say) reads differently, so a broken set-up cannot pass for a refusal.
 */
const REFUSED_BY_BROKER =
  /alert (certificate unknown|certificate expired|bad certificate|unknown ca)/i;

describe('tenant isolation on the broker: certificates that must not get in', () => {
  let platform: TenantPlatform;
  let a: ApiCustomer;
  let b: ApiCustomer;
  /** A's two credentials: the second one gets revoked. */
  let a1: BundleCredential;
  let a2: BundleCredential;
  let b1: BundleCredential;

  /** A consumer group under the customer's prefix, removed when the test ends. */
  function groupOf(c: ApiCustomer): string {
    const group = `${c.id}.cert-${randomToken()}`;
    platform.groups.push(group);
    return group;
  }

  before(async () => {
    platform = await TenantPlatform.start('isolation_certs');
    a = await platform.createCustomer('iso-a', 2);
    b = await platform.createCustomer('iso-b', 1);
    [a1, a2] = a.credentials;
    [b1] = b.credentials;
    await platform.waitUntilSettled(a.id, 'active');
    await platform.waitUntilSettled(b.id, 'active');
    await platform.writeSecretLines();
  });

  after(async () => {
    await platform?.close();
  });

  it('positive control: every credential the API issued reads its own topic', async () => {
    for (const [cred, c] of [
      [a1, a],
      [a2, a],
      [b1, b],
    ] as const) {
      assert.equal(await kcatReadsFirstLine(cred, c.topic, groupOf(c)), `${c.secretLine}\n`);
    }
  });

  it("refuses the handshake for a certificate of another CA carrying B's principal", async () => {
    // The same CA name as the real one and B's own principal: only the signature differs.
    const impostorCa = CertificateAuthority.generate('Logstream Development CA', 1);
    const impostor = await writeClientCertificate(impostorCa, b1.caFile, b1.principal);
    await assertHandshakeRefused(impostor, b);
  });

  it("refuses the handshake for an expired certificate of A's own principal, signed by the real CA", async () => {
    const { ca } = await loadDevCa();
    const expired = await writeClientCertificate(ca, a1.caFile, a1.principal, {
      notBefore: new Date(Date.now() - 2 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    await assertHandshakeRefused(expired, a);
  });

  it('gets a working credential for a customer id of 63 characters (kcat reads its topic)', async () => {
    const long = await platform.createCustomer(`long-${'x'.repeat(47)}`, 1);
    assert.equal(long.id.length, 63);
    await platform.waitUntilSettled(long.id, 'active');
    await platform.writeSecretLines();
    const [cred] = long.credentials;
    assert.equal(cred.principal.length, 'customer.'.length + 63 + 1 + cred.id.length);
    assert.equal(await kcatReadsFirstLine(cred, long.topic, groupOf(long)), `${long.secretLine}\n`);
  });

  for (const platformPrincipal of ['logstream-provisioner', 'logstream-edge']) {
    it(`gives a certificate the API's CA signs for ${platformPrincipal} no more than a customer gets`, async () => {
      const { ca, caFile } = await loadCustomerCa();
      // Its CN alone: the issuing CA's name constraints make the broker refuse the chain.
      // (The CA object refuses to sign it, so the test signs through a copy without the check.)
      assert.throws(
        () => ca.issue({ commonName: platformPrincipal, usage: 'client', validityDays: 1 }),
        /signs only subjects under O=customers/,
      );
      const bare = await writeUncheckedCertificate(platformPrincipal, caFile);
      await assertHandshakeRefused(bare, a);

      // Under O=customers but not a credential's shape: it maps to a principal no ACL names.
      const shaped = await writeClientCertificate(
        ca,
        caFile,
        platformPrincipal,
        { validityDays: 1 },
        { commonName: platformPrincipal, organization: CUSTOMER_SUBJECT_ORGANIZATION },
      );
      const res = await kcatSsl(shaped, ['-L', '-m', '5'], 15_000);
      assert.equal(res.code, 0, res.stderr);
      assert.ok(!res.stdout.includes(a.topic), 'sees no customer topic');
      assert.ok(!res.stdout.includes(TENANT_REGISTRY_TOPIC), 'sees no registry');
      const consumed = await kcatConsumeOne(shaped, a.topic, groupOf(a));
      assert.notEqual(consumed.code, 0);
      assert.match(consumed.stderr, /authorization failed/i);
      const tls = {
        caPem: await readFile(shaped.caFile, 'utf8'),
        certPem: await readFile(shaped.certFile, 'utf8'),
        keyPem: await readFile(shaped.keyFile, 'utf8'),
      };
      const kafka = customerKafka(tls);
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      const admin = kafka.admin();
      try {
        await producer.connect();
        await assertDenied('TOPIC_AUTHORIZATION_FAILED', 'produce to a customer topic', () =>
          producer.send({ topic: a.topic, messages: [{ value: 'forged line' }] }),
        );
        await admin.connect();
        await assertDenied('TOPIC_AUTHORIZATION_FAILED', 'read the registry', () =>
          admin.fetchTopicOffsets(TENANT_REGISTRY_TOPIC),
        );
        await assertDenied('TOPIC_AUTHORIZATION_FAILED', 'create a topic', () =>
          admin.createTopics({ topics: [{ topic: `cdn-logs.forged-${randomToken()}` }] }),
        );
      } finally {
        await producer.disconnect();
        await admin.disconnect();
      }
    });
  }

  it('denies a credential revoked through the API once the provisioner settled; the other one still reads', async () => {
    const res = await platform.api
      .http()
      .delete(`/v1/customers/${a.id}/credentials/${a2.id}`)
      .set(ADMIN);
    assert.equal(res.status, 204);
    await platform.waitUntilSettled(a.id, 'active');
    const listed = await platform.api.http().get(`/v1/customers/${a.id}/credentials`).set(ADMIN);
    const states = (listed.body as Array<{ id: string; revokedAt: string | null }>).map(
      (c) => `${c.id}:${c.revokedAt === null ? 'valid' : 'revoked'}`,
    );
    assert.deepEqual(states.sort(), [`${a1.id}:valid`, `${a2.id}:revoked`].sort());

    // The certificate itself is still valid for TLS: the broker's ACLs are what refuse it.
    const group = groupOf(a);
    const revoked = await kcatConsumeOne(a2, a.topic, group);
    assert.notEqual(revoked.code, 0);
    assert.match(revoked.stderr, /Topic authorization failed|Group authorization failed/i);
    assert.equal(revoked.stdout, '');
    const wire = await customerWire(a2);
    try {
      assert.equal((await wire.fetch(a.topic, 0)).error, 'TOPIC_AUTHORIZATION_FAILED');
      assert.equal(await wire.commitOffset(group, a.topic, 0, 1n), 'GROUP_AUTHORIZATION_FAILED');
    } finally {
      wire.close();
    }

    assert.equal(await kcatReadsFirstLine(a1, a.topic, groupOf(a)), `${a.secretLine}\n`);
  });
});

/**
 * A certificate for one bare CN signed with the customer-issuing CA's key, bypassing the CA
 * object's own check: what someone holding the API's key file could make by hand.
 */
async function writeUncheckedCertificate(commonName: string, caFile: string): Promise<ClientFiles> {
  const { ca } = await loadCustomerCa();
  const unchecked = Object.create(ca) as CertificateAuthority;
  Object.defineProperty(unchecked, 'permittedOrganizations', { get: () => [] });
  return writeClientCertificate(unchecked, caFile, commonName);
}

/**
 * The broker must refuse the certificate during the handshake: kcat, kafkajs and a raw TLS
 * connection all get its alert, and never a topic of `owner`.
 */
async function assertHandshakeRefused(cert: ClientFiles, owner: ApiCustomer): Promise<void> {
  const res = await kcatSsl(cert, ['-L', '-m', '3'], 15_000);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, REFUSED_BY_BROKER);
  assert.ok(!res.stdout.includes(owner.topic));

  const tls = {
    caPem: await readFile(cert.caFile, 'utf8'),
    certPem: await readFile(cert.certFile, 'utf8'),
    keyPem: await readFile(cert.keyFile, 'utf8'),
  };
  const admin = customerKafka(tls).admin();
  try {
    await assert.rejects(async () => {
      await admin.connect();
      await admin.listTopics();
    }, REFUSED_BY_BROKER);
  } finally {
    await admin.disconnect();
  }
  // TLS 1.3 finishes the client's side of the handshake before the broker checks the
  // certificate, so the refusal arrives on the first request.
  await assert.rejects(async () => {
    const wire = await customerWire(tls);
    try {
      await wire.fetch(owner.topic, 0);
    } finally {
      wire.close();
    }
  }, REFUSED_BY_BROKER);
}
