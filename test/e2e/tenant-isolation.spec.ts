import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  ConfigResourceTypes,
  type Kafka,
  ResourcePatternTypes,
} from 'kafkajs';
import { customerConsumerAcls } from '@logstream/kafka';
import { currentCustomerAcls } from '@logstream/provisioning';
import { customerStatsTopic, TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';
import {
  assertDenied,
  customerKafka,
  customerWire,
  kcatConsumeOne,
  kcatReadsFirstLine,
} from '../support/attacker';
import { randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import type { KafkaWireConnection } from '../support/kafka-wire';
import { eventually } from '../support/process';
import {
  type ApiCustomer,
  type BundleCredential,
  TenantPlatform,
} from '../support/tenant-platform';

const TOPIC_DENIED = 'TOPIC_AUTHORIZATION_FAILED';
const GROUP_DENIED = 'GROUP_AUTHORIZATION_FAILED';
const CLUSTER_DENIED = 'CLUSTER_AUTHORIZATION_FAILED';

describe('tenant isolation on the broker: customer A attacks with its own certificate', () => {
  let platform: TenantPlatform;
  let a: ApiCustomer;
  let b: ApiCustomer;
  /** A's credential: the attacker's. */
  let a1: BundleCredential;
  let b1: BundleCredential;
  let attacker: Kafka;
  let attackerAdmin: Admin;
  let wire: KafkaWireConnection;
  /** B's consumer group, with an offset B committed: A must not move it. */
  let bGroup: string;

  /** What the platform sees in Kafka for both customers; nothing A tries may change it. */
  async function kafkaState() {
    const topics = (await platform.admin.listTopics()).filter(
      (t) => t === a.topic || t === b.topic,
    );
    const acls = await Promise.all([a, b].map((c) => currentCustomerAcls(platform.admin, c.id)));
    const kafkaAdmin = platform.kafka.admin();
    await kafkaAdmin.connect();
    try {
      const configs = await kafkaAdmin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: b.topic }],
      });
      return {
        topics: topics.sort(),
        offsets: [await platform.endOffsets(a.topic), await platform.endOffsets(b.topic)],
        acls: acls.map((list) => list.map((x) => `${x.principal} ${x.resource}:${x.name}`).sort()),
        bConfigs: configs.resources[0].configEntries
          .filter((e) => !e.isDefault)
          .map((e) => `${e.configName}=${e.configValue}`)
          .sort(),
        bGroup: await kafkaAdmin.fetchOffsets({ groupId: bGroup, topics: [b.topic] }),
      };
    } finally {
      await kafkaAdmin.disconnect();
    }
  }
  let stateBefore: Awaited<ReturnType<typeof kafkaState>>;

  before(async () => {
    platform = await TenantPlatform.start('isolation');
    a = await platform.createCustomer('iso-a', 1);
    b = await platform.createCustomer('iso-b', 1);
    [a1] = a.credentials;
    [b1] = b.credentials;
    await platform.waitUntilSettled(a.id, 'active');
    await platform.waitUntilSettled(b.id, 'active');
    await platform.writeSecretLines();

    // B, the victim, reads its own line in a group of its own: the group now holds an offset.
    bGroup = `${b.id}.app`;
    platform.groups.push(bGroup);
    assert.equal(await kcatReadsFirstLine(b1, b.topic, bGroup), `${b.secretLine}\n`);
    stateBefore = await eventually(
      async () => {
        const s = await kafkaState();
        return s.bGroup[0].partitions[0].offset === '1' ? s : undefined;
      },
      "B's group to hold its committed offset",
      15_000,
    );

    attacker = customerKafka(a1);
    attackerAdmin = attacker.admin();
    await attackerAdmin.connect();
    wire = await customerWire(a1);
  });

  after(async () => {
    wire?.close();
    await attackerAdmin?.disconnect();
    await platform?.close();
  });

  it('positive control: A reads its own topic with kcat, kafkajs and the raw protocol', async () => {
    const group = `${a.id}.reader-${randomToken()}`;
    platform.groups.push(group);
    assert.equal(await kcatReadsFirstLine(a1, a.topic, group), `${a.secretLine}\n`);
    assert.deepEqual(
      (await attackerAdmin.fetchTopicOffsets(a.topic)).map((p) => p.high),
      ['1'],
    );
    const fetched = await wire.fetch(a.topic, 0);
    assert.equal(fetched.error, 'NONE');
    assert.ok(fetched.records.includes(a.secretLine), 'the raw fetch returns A’s line');
    const ownGroup = `${a.id}.raw-${randomToken()}`;
    platform.groups.push(ownGroup);
    assert.equal(await wire.commitOffset(ownGroup, a.topic, 0, 1n), 'NONE');
  });

  it("denies reading B's topic: kcat, kafkajs and a raw Fetch, and nothing of B comes back", async () => {
    const res = await kcatSsl(a1, ['-C', '-t', b.topic, '-o', 'beginning', '-e'], 15_000);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /Topic authorization failed/i);
    assert.ok(!res.stdout.includes(b.secretLine) && !res.stderr.includes(b.secretLine));

    const consumerGroup = `${a.id}.steal-${randomToken()}`;
    platform.groups.push(consumerGroup);
    const stolen = await kcatConsumeOne(a1, b.topic, consumerGroup);
    assert.notEqual(stolen.code, 0);
    assert.match(stolen.stderr, /Topic authorization failed/i);
    assert.equal(stolen.stdout, '');

    await assertDenied(TOPIC_DENIED, 'list offsets of B', () =>
      attackerAdmin.fetchTopicOffsets(b.topic),
    );
    const raw = await wire.fetch(b.topic, 0);
    assert.equal(raw.error, TOPIC_DENIED);
    assert.equal(raw.records.length, 0);
  });

  it("denies producing to B's topic and to A's own (customers only read)", async () => {
    const producer = attacker.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (const topic of [b.topic, a.topic]) {
        await assertDenied(TOPIC_DENIED, `produce to ${topic}`, () =>
          producer.send({ topic, messages: [{ value: `forged ${randomToken()}` }] }),
        );
        const res = await kcatSsl(a1, ['-P', '-t', topic], 15_000, 'forged by kcat\n');
        assert.notEqual(res.code, 0, 'kcat must report the failed delivery');
        assert.match(res.stderr, /Topic authorization failed/i);
      }
    } finally {
      await producer.disconnect();
    }
    assert.deepEqual((await kafkaState()).offsets, stateBefore.offsets, 'nothing was written');
  });

  it("denies describing B's topic, and listing topics shows A's own only", async () => {
    await assertDenied(TOPIC_DENIED, 'metadata of B', () =>
      attackerAdmin.fetchTopicMetadata({ topics: [b.topic] }),
    );
    await assertDenied(TOPIC_DENIED, 'configs of B', () =>
      attackerAdmin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: b.topic }],
      }),
    );
    // A's own: its log topic and its statistics topic, nothing of B's or the platform's.
    const own = [a.topic, customerStatsTopic(a.id)].sort();
    assert.deepEqual((await attackerAdmin.listTopics()).sort(), own);
    const all = await attackerAdmin.fetchTopicMetadata();
    assert.deepEqual(all.topics.map((t) => t.name).sort(), own);
    const listing = await kcatSsl(a1, ['-L'], 15_000);
    assert.equal(listing.code, 0, listing.stderr);
    assert.match(listing.stdout, / 2 topics:\n/);
    assert.ok(listing.stdout.includes(`"${a.topic}"`));
    assert.ok(listing.stdout.includes(`"${customerStatsTopic(a.id)}"`));
    assert.ok(!listing.stdout.includes(b.id) && !listing.stdout.includes(TENANT_REGISTRY_TOPIC));
    const named = await kcatSsl(a1, ['-L', '-t', b.topic], 15_000);
    assert.match(named.stdout, /with 0 partitions: Broker: Topic authorization failed/);
  });

  it("denies deleting B's topic or A's own, their records, partitions and configs, and creating topics", async () => {
    for (const topic of [b.topic, a.topic]) {
      await assertDenied(TOPIC_DENIED, `delete ${topic}`, () =>
        attackerAdmin.deleteTopics({ topics: [topic], timeout: 5_000 }),
      );
      await assertDenied(TOPIC_DENIED, `add partitions to ${topic}`, () =>
        attackerAdmin.createPartitions({ topicPartitions: [{ topic, count: 4 }] }),
      );
      await assertDenied(TOPIC_DENIED, `shrink the retention of ${topic}`, () =>
        attackerAdmin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: topic,
              configEntries: [{ name: 'retention.ms', value: '1000' }],
            },
          ],
        }),
      );
    }
    await assertDenied(TOPIC_DENIED, 'delete the records of B', () =>
      attackerAdmin.deleteTopicRecords({
        topic: b.topic,
        partitions: [{ partition: 0, offset: '-1' }],
      }),
    );
    const invented = [`cdn-logs.${a.id}-more`, `cdn-logs.${b.id}x`, `evil-${randomToken()}`];
    for (const topic of invented) {
      await assertDenied(TOPIC_DENIED, `create ${topic}`, () =>
        attackerAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }] }),
      );
    }
    const topics = await platform.admin.listTopics();
    assert.deepEqual(
      invented.filter((t) => topics.includes(t)),
      [],
    );
    assert.deepEqual(await kafkaState(), stateBefore, 'topics, data and configs unchanged');
  });

  it("denies joining or committing in B's group prefix and in a group outside any prefix", async () => {
    const foreign = [bGroup, `${b.id}.x`, `stolen-${randomToken()}`];
    platform.groups.push(...foreign.slice(1));
    for (const group of foreign) {
      const joined = await kcatSsl(
        a1,
        ['-C', '-G', group, '-X', 'auto.offset.reset=earliest', '-c', '1', a.topic],
        15_000,
      );
      assert.notEqual(joined.code, 0);
      assert.match(joined.stderr, /Group authorization failed/i);
      assert.equal(joined.stdout, '');
      // Straight to the broker, skipping the coordinator lookup where clients stop.
      assert.equal(await wire.joinGroup(group, a.topic), GROUP_DENIED);
      assert.equal(await wire.commitOffset(group, a.topic, 0, 0n), GROUP_DENIED);
    }
    // Rewinding B's own group on B's topic is refused as well.
    assert.equal(await wire.commitOffset(bGroup, b.topic, 0, 0n), GROUP_DENIED);

    const visible = (await attackerAdmin.listGroups()).groups.map((g) => g.groupId);
    assert.deepEqual(
      visible.filter((g) => !g.startsWith(`${a.id}.`)),
      [],
    );
    const existing = await platform.groupIds();
    assert.deepEqual(
      foreign.slice(1).filter((g) => existing.includes(g)),
      [],
      'no group was created',
    );
    assert.deepEqual((await kafkaState()).bGroup, stateBefore.bGroup, "B's offset unchanged");
  });

  it('denies reading the tenant registry', async () => {
    const res = await kcatSsl(a1, ['-C', '-t', TENANT_REGISTRY_TOPIC, '-o', 'beginning', '-e']);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /Topic authorization failed/i);
    assert.ok(!res.stdout.includes(b.id));
    await assertDenied(TOPIC_DENIED, 'registry metadata', () =>
      attackerAdmin.fetchTopicMetadata({ topics: [TENANT_REGISTRY_TOPIC] }),
    );
    const raw = await wire.fetch(TENANT_REGISTRY_TOPIC, 0);
    assert.equal(raw.error, TOPIC_DENIED);
    assert.equal(raw.records.length, 0);
  });

  it('denies cluster administration: describing or changing ACLs and broker configs', async () => {
    const any = {
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    };
    await assertDenied(CLUSTER_DENIED, 'describe ACLs', () => attackerAdmin.describeAcls(any));
    await assertDenied(CLUSTER_DENIED, "grant itself B's topic", () =>
      attackerAdmin.createAcls({
        acl: [
          {
            resourceType: AclResourceTypes.TOPIC,
            resourceName: b.topic,
            resourcePatternType: ResourcePatternTypes.LITERAL,
            principal: `User:${a1.principal}`,
            host: '*',
            operation: AclOperationTypes.READ,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      }),
    );
    await assertDenied(CLUSTER_DENIED, 'delete every ACL', () =>
      attackerAdmin.deleteAcls({ filters: [any] }),
    );
    await assertDenied(CLUSTER_DENIED, 'describe broker configs', () =>
      attackerAdmin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER, name: '1' }],
      }),
    );
    await assertDenied(CLUSTER_DENIED, 'alter broker configs', () =>
      attackerAdmin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: '1',
            configEntries: [{ name: 'log.retention.ms', value: '1000' }],
          },
        ],
      }),
    );
    assert.deepEqual(
      (await platform.admin.describeAcls({ principal: a1.principal })).map((x) => x.name).sort(),
      customerConsumerAcls(a1.principal, a.id)
        .map((x) => x.name)
        .sort(),
      'A holds exactly its consumer ACLs',
    );
    assert.deepEqual(await kafkaState(), stateBefore);
  });
});
