import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import type { StatsRecord } from '@logstream/stats';
import { customerStatsTopic, customerTopic } from '@logstream/tenancy';
import { knownTrafficSource, TrafficTruth } from '@logstream/traffic';
import type { AppProcess } from '../support/app-process';
import { issueTestBundle, runCommand } from '../support/bundle-examples';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { DesiredStateWriter } from '../support/desired-state';
import { randomCustomerId, randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import { eventually } from '../support/process';
import { randomLockKey, startProvisioner, waitForState } from '../support/provisioner';
import { lineProducer, startAggregator } from '../support/stats';
import { type ClientFiles, loadDevCa } from '../support/test-pki';

describe("statistics topics: the provisioner's and the customer's view (real broker)", () => {
  let kafka: Kafka;
  let admin: KafkaAdminService;
  let db: ScratchDatabase;
  let provisioner: AppProcess;
  let aggregator: AppProcess;
  const prefix = `s${randomToken()}`;
  const a = randomCustomerId(prefix);
  const b = randomCustomerId(prefix);
  let a1: ClientFiles;
  let writer: DesiredStateWriter;

  before(async () => {
    kafka = createKafkaClient(loadKafkaConfig('logstream-test'));
    admin = new KafkaAdminService(kafka);
    await admin.connect();
    const { ca, caFile } = await loadDevCa();
    db = await createScratchDatabase('stats');
    writer = new DesiredStateWriter(db.db);
    provisioner = startProvisioner(db, randomLockKey());
    await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    for (const id of [a, b]) await writer.createCustomer(id);
    a1 = await writer.issueCredential(a, ca, caFile);
    await writer.issueCredential(b, ca, caFile);
    for (const id of [a, b]) await writer.setStreaming(id, true);
    for (const id of [a, b]) await waitForState(writer, id, 'active');
    aggregator = startAggregator(`logstream-it-${randomToken()}`, `${prefix}-`);
  });

  after(async () => {
    await aggregator.stop();
    await provisioner.stop();
    for (const id of [a, b]) {
      await admin.deleteTopic(customerTopic(id));
      await admin.deleteTopic(customerStatsTopic(id));
    }
    await admin.disconnect();
    await db.drop();
  });

  it('creates cdn-stats.<id> compacted next to cdn-logs.<id>', async () => {
    const topics = await admin.listTopics();
    for (const id of [a, b]) assert.ok(topics.includes(customerStatsTopic(id)), id);
    const raw = kafka.admin();
    await raw.connect();
    const { resources } = await raw.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: customerStatsTopic(a), configNames: ['cleanup.policy'] }],
    });
    await raw.disconnect();
    assert.equal(resources[0].configEntries[0].configValue, 'compact');
  });

  it("lets A's credential read cdn-stats.A (what the aggregator wrote) and denies it cdn-stats.B", async () => {
    const producer = await lineProducer(kafka);
    for (const [id, seed] of [
      [a, 1],
      [b, 2],
    ] as const) {
      const next = knownTrafficSource(id, { seed, clients: 20, hosts: 1 }, [
        new TrafficTruth(10_000),
      ]);
      const line = next(Date.now());
      await producer.send({
        topic: customerTopic(id),
        messages: [{ value: line.slice(line.indexOf(' ') + 1) }],
      });
    }
    await producer.disconnect();
    const own = await eventually(
      async () => {
        const res = await kcatSsl(a1, [
          '-C',
          '-t',
          customerStatsTopic(a),
          '-o',
          'beginning',
          '-e',
          '-X',
          'isolation.level=read_committed',
          '-f',
          '%k\t%s\n',
        ]);
        return res.code === 0 && res.stdout.includes('\t') ? res.stdout : undefined;
      },
      "A's statistics to be readable with A's certificate",
      60_000,
      1000,
    );
    const [key, value] = own.trim().split('\n')[0].split('\t');
    const record = JSON.parse(value) as StatsRecord;
    assert.match(key, /^(10s|1m)\|\d{4}-\d\d-\d\dT/);
    assert.equal(record.schema, 1);
    assert.equal(record.customerId, a);

    // B's statistics exist too, and A's certificate may not read them.
    await eventually(
      async () => ((await admin.listTopics()).includes(customerStatsTopic(b)) ? true : undefined),
      'B statistics topic',
    );
    const stolen = await kcatSsl(a1, ['-C', '-t', customerStatsTopic(b), '-o', 'beginning', '-e']);
    assert.notEqual(stolen.code, 0);
    assert.match(stolen.stderr, /Topic authorization failed/i);
    assert.doesNotMatch(stolen.stdout, new RegExp(b));
  });

  it("prints A's windows with the bundle's consumer.py --stats, as shipped", async () => {
    const credentialId = randomToken();
    await writer.addCredential(a, credentialId);
    const dir = await mkdtemp(path.join(tmpdir(), 'logstream-stats-bundle-'));
    try {
      const root = await issueTestBundle(a, credentialId, dir);
      const readme = await readFile(path.join(root, 'README.md'), 'utf8');
      const command = 'python3 examples/consumer.py --from-beginning --exit-at-end --stats';
      assert.ok(readme.includes(command), 'the README gives the command');
      // Until the provisioner has granted the new credential.
      const out = await eventually(
        async () => {
          const res = await runCommand(command, root, 30_000);
          return res.code === 0 && res.stdout.includes('requests=') ? res.stdout : undefined;
        },
        "A's windows through the bundle's example",
        60_000,
        1000,
      );
      const lines = out.trim().split('\n');
      for (const line of lines) {
        assert.match(line, /^(10s|1m) \d{4}-\d\d-\d\dT\S+( \(open\))? requests=\d+ bytes=\d+ 2xx=/);
      }
      assert.ok(
        lines.some((l) => / requests=1 /.test(l)),
        out,
      );
      assert.doesNotMatch(out, new RegExp(b));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('deletes cdn-stats.<id> with the customer', async () => {
    await writer.requestDeletion(b);
    await eventually(
      async () => ((await writer.status(b)) === undefined ? true : undefined),
      'the row to go',
      20_000,
    );
    const topics = await admin.listTopics();
    assert.equal(topics.includes(customerStatsTopic(b)), false);
    assert.equal(topics.includes(customerTopic(b)), false);
  });
});
