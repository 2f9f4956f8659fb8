import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kafka, Partitioners } from 'kafkajs';
import { BUNDLE_DIR_VARIABLE, bundleRoot, credentialBundleStream } from '@logstream/bundle';
import { loadKafkaConfig, loadPathsConfig } from '@logstream/config';
import { createKafkaClient, customerConsumerAcls, KafkaAdminService } from '@logstream/kafka';
import { credentialPrincipal, customerTopic } from '@logstream/tenancy';
import {
  readmeCommands,
  type RunnableExample,
  runCommand,
  sortedLines,
  unzipBundle,
} from '../support/bundle-examples';
import { randomCustomerId, randomToken } from '../support/ids';
import { eventually, run } from '../support/process';
import { loadDevCa } from '../support/test-pki';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES: readonly RunnableExample[] = ['kcat', 'python', 'node'];

/** Access-log lines as the edge producer writes them to a topic (the customer id split off). */
function accessLines(tag: string, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `203.0.113.${i + 1} - - [23/Nov/2026:10:00:0${i % 10} +0000] "GET /${tag}/${i}.jpg HTTP/1.1" 200 ${512 + i}`,
  );
}

describe('the credentials bundle against the real broker: its examples run as shipped', () => {
  const a = randomCustomerId('bx');
  const b = randomCustomerId('bx');
  const credentialId = randomToken();
  const principal = credentialPrincipal(a, credentialId);
  const acls = customerConsumerAcls(principal, a);
  const linesA = accessLines(`a-${randomToken()}`, 9);
  const linesB = accessLines(`b-${randomToken()}`, 5);
  let kafka: Kafka;
  let admin: KafkaAdminService;
  let tmp: string;
  let root: string;
  let commands: Record<RunnableExample, string>;
  let lateSince: Date | undefined;
  const late = accessLines(`late-${randomToken()}`, 2);

  const produce = async (topic: string, lines: readonly string[]): Promise<void> => {
    // Over PLAINTEXT, standing in for the edge producer.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: lines.map((value) => ({ value })) });
    await producer.disconnect();
  };

  before(async () => {
    kafka = createKafkaClient(loadKafkaConfig('logstream-test'));
    admin = new KafkaAdminService(kafka);
    await admin.connect();
    for (const id of [a, b]) {
      await admin.ensureTopic({
        name: customerTopic(id),
        partitions: 3,
        replicationFactor: 1,
        configs: {},
      });
    }
    await produce(customerTopic(a), linesA);
    await produce(customerTopic(b), linesB);

    // What the control API and the provisioner do for a new credential.
    const { ca, caFile } = await loadDevCa();
    const certificate = ca.issue({ commonName: principal, usage: 'client', validityDays: 1 });
    await admin.createAcls(acls);
    const bundle = credentialBundleStream({
      customerId: a,
      credentialId,
      bootstrapServers: loadKafkaConfig('logstream-test').customerBootstrap,
      caCertPem: await readFile(caFile, 'utf8'),
      certificate,
    });
    tmp = await mkdtemp(path.join(tmpdir(), 'logstream-bundle-it-'));
    root = await unzipBundle(bundle, tmp, bundleRoot({ customerId: a }));
    // Stands in for the README's "npm install kafkajs@2.2.4" in the bundle folder (no registry
    // access in tests): the repository's node_modules, which holds kafkajs 2.2.4.
    await symlink(
      await realpath(path.join(REPO_ROOT, 'node_modules')),
      path.join(root, 'node_modules'),
    );
    commands = await readmeCommands(root);

    // New ACLs reach the broker's authorizer after a moment; probe in a group of its own.
    await eventually(
      async () => {
        const res = await runCommand(
          `${commands.kcat} --group ${a}.probe --max-messages 1`,
          root,
          15_000,
        );
        return res.code === 0 ? true : undefined;
      },
      'the credential ACLs to take effect',
      30_000,
      500,
    );
  });

  after(async () => {
    await admin.deleteAcls(acls);
    for (const id of [a, b]) await admin.deleteTopic(customerTopic(id));
    const groups = kafka.admin();
    await groups.connect();
    await groups
      .deleteGroups(['kcat', 'python', 'node', 'java', 'probe'].map((tool) => `${a}.${tool}`))
      .catch(() => undefined); // Groups a failed step never created are not worth a failure here.
    await groups.disconnect();
    await admin.disconnect();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  for (const example of EXAMPLES) {
    it(`${example}: the README's replay command prints exactly this customer's lines`, async () => {
      const res = await runCommand(`${commands[example]} --from-beginning --exit-at-end`, root);
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(sortedLines(res.stdout), [...linesA].sort());
    });
  }

  it('each example carries on in its own group: a second run prints only the new lines', async () => {
    // Every earlier line has an older timestamp (producer CreateTime, same clock).
    await new Promise((resolve) => setTimeout(resolve, 20));
    lateSince = new Date();
    await produce(customerTopic(a), late);
    linesA.push(...late);
    for (const example of EXAMPLES) {
      const res = await runCommand(`${commands[example]} --exit-at-end`, root);
      assert.equal(res.code, 0, `${example}: ${res.stderr}`);
      assert.deepEqual(sortedLines(res.stdout), [...late].sort(), example);
    }
  });

  it('each example replays from a point in time (ISO 8601): only the lines logged since', async () => {
    assert.ok(lateSince, 'needs the lines of the test before');
    for (const example of EXAMPLES) {
      const res = await runCommand(
        `${commands[example]} --from-time ${lateSince.toISOString()} --exit-at-end`,
        root,
      );
      assert.equal(res.code, 0, `${example}: ${res.stderr}`);
      assert.deepEqual(sortedLines(res.stdout), [...late].sort(), example);
    }
  });

  it('each example runs from any folder and stops after --max-messages', async () => {
    for (const example of EXAMPLES) {
      // The script's path made absolute, run from the filesystem root.
      const line = commands[example].replace(/(\.\/)?examples\//, `${root}/examples/`);
      const res = await runCommand(
        `${line} --from-beginning --max-messages 3 --group ${a}.${example}`,
        '/',
      );
      assert.equal(res.code, 0, `${example}: ${res.stderr}`);
      const got = sortedLines(res.stdout);
      assert.equal(got.length, 3, `${example}: ${res.stdout}`);
      for (const l of got) assert.ok(linesA.includes(l), `${example} printed "${l}"`);
    }
  });

  it('a Java client configured by client.properties alone (PKCS#12 keystore, PEM truststore) reads the lines', async () => {
    const java = path.join(REPO_ROOT, 'test/support/java/PropertiesConsumer.java');
    const libs = path.join(loadPathsConfig().dataDir, 'kafka/lib/*');
    const res = await run(
      'java',
      ['-cp', libs, java, 'client.properties', customerTopic(a), String(linesA.length), '60000'],
      { cwd: root, timeoutMs: 90_000 },
    );
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(sortedLines(res.stdout), [...linesA].sort());
  });

  it('filebeat.yml and logstash.conf point at files of the unzipped folder', async () => {
    for (const name of ['examples/filebeat.yml', 'examples/logstash.conf']) {
      const text = await readFile(path.join(root, name), 'utf8');
      const refs = [...text.matchAll(/\$\{(\w+)\}\/([\w.]+)/g)];
      assert.ok(refs.length >= 2, name);
      for (const [, variable, file] of refs) {
        assert.equal(variable, BUNDLE_DIR_VARIABLE);
        await access(path.join(root, file));
      }
      assert.ok(text.includes(`"${customerTopic(a)}"`), name);
    }
  });

  for (const example of EXAMPLES) {
    it(`${example}: pointed at another customer's topic, fails with an authorization error`, async () => {
      const res = await runCommand(
        `${commands[example]} --topic ${customerTopic(b)} --from-beginning --exit-at-end`,
        root,
      );
      assert.equal(res.code, 1, `${res.stdout}\n${res.stderr}`);
      assert.match(res.stderr, /Topic authorization failed/i);
      assert.equal(res.stdout, '');
    });
  }

  it('once the credential is revoked (its ACLs deleted), every example fails', async () => {
    await admin.deleteAcls(acls);
    await eventually(
      async () => {
        const res = await runCommand(
          `${commands.kcat} --group ${a}.probe --from-beginning --exit-at-end`,
          root,
          15_000,
        );
        return res.code !== 0 ? true : undefined;
      },
      'the revocation to take effect',
      30_000,
      500,
    );
    for (const example of EXAMPLES) {
      const res = await runCommand(`${commands[example]} --from-beginning --exit-at-end`, root);
      assert.equal(res.code, 1, `${example}: ${res.stdout}\n${res.stderr}`);
      assert.match(res.stderr, /(Topic|Group) authorization failed/i, example);
      assert.equal(res.stdout, '', example);
    }
  });
});
