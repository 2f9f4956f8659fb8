import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUNDLE_DIR_VARIABLE } from '@logstream/bundle';
import { loadKafkaConfig, loadPathsConfig, REPO_ROOT } from '@logstream/config';
import { createKafkaClient, customerConsumerAcls } from '@logstream/kafka';
import { type CustomerId, credentialPrincipal, customerTopic } from '@logstream/tenancy';
import { customerWire } from '../support/attacker';
import {
  provideNpmPackages,
  readmeCommands,
  type RunnableExample,
  runCommand,
  sortedLines,
  issueTestBundle,
} from '../support/bundle-examples';
import { EdgeTestBed, startEdge } from '../support/edge';
import { randomCustomerId, randomToken } from '../support/ids';
import { batchCompressions } from '../support/kafka-wire';
import { eventually, run } from '../support/process';

const EXAMPLES: readonly RunnableExample[] = ['kcat', 'python', 'node'];

/** Access-log lines as the edge producer writes them to a topic (the customer id split off). */
function accessLines(tag: string, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `203.0.113.${(i % 254) + 1} - - [23/Nov/2026:10:00:0${i % 10} +0000] "GET /${tag}/${i}.jpg HTTP/1.1" 200 ${512 + i}`,
  );
}

describe('the credentials bundle against the real broker: its examples run as shipped', () => {
  const kafka = createKafkaClient(loadKafkaConfig('logstream-test'));
  const bed = new EdgeTestBed(kafka);
  const admin = bed.admin;
  const a = randomCustomerId('bx');
  const b = randomCustomerId('bx');
  const credentialId = randomToken();
  const principal = credentialPrincipal(a, credentialId);
  const acls = customerConsumerAcls(principal, a);
  // Enough for an lz4 batch of several 64 KiB blocks (librdkafka's frame block size).
  const linesA = accessLines(`a-${randomToken()}`, 3000);
  const linesB = accessLines(`b-${randomToken()}`, 5);
  let tmp: string;
  let root: string;
  let commands: Record<RunnableExample, string>;
  let lateSince: Date | undefined;
  const late = accessLines(`late-${randomToken()}`, 2);

  /**
   * The real edge producer writes the lines, compressed as it is told (without `compression`,
   * its default: lz4), so the examples read what customers get, not a stand-in's batches.
   */
  const edgeWrite = async (
    lines: ReadonlyArray<readonly [CustomerId, string]>,
    compression?: 'zstd' | 'gzip',
  ): Promise<void> => {
    const flags = compression ? ['--compression', compression] : [];
    const edge = startEdge(['--source', 'stdin', ...flags], { stdin: 'pipe' });
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    edge.stdin.end(lines.map(([id, line]) => `${id} ${line}\n`).join(''));
    const exit = await edge.waitForExit(60_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
  };
  const forA = (lines: readonly string[]) => lines.map((l) => [a, l] as const);

  /** The compression of every record batch of A's topic, read raw with A's certificate. */
  const topicCompressions = async (): Promise<string[]> => {
    const read = (name: string) => readFile(path.join(root, name), 'utf8');
    const wire = await customerWire({
      caPem: await read('ca.pem'),
      certPem: await read('client.pem'),
      keyPem: await read('client.key'),
    });
    try {
      const found = new Set<string>();
      for (let partition = 0; partition < 3; partition++) {
        const res = await wire.fetch(customerTopic(a), partition);
        assert.equal(res.error, 'NONE');
        for (const codec of batchCompressions(res.records)) found.add(codec);
      }
      return [...found].sort();
    } finally {
      wire.close();
    }
  };

  before(async () => {
    await bed.start();
    await bed.customer(a, true);
    await bed.customer(b, true);
    await edgeWrite([...forA(linesA), ...linesB.map((l) => [b, l] as const)]);

    // What the control API and the provisioner do for a new credential.
    await admin.createAcls(acls);
    tmp = await mkdtemp(path.join(tmpdir(), 'logstream-bundle-it-'));
    root = await issueTestBundle(a, credentialId, tmp);
    await provideNpmPackages(root);
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
    const groups = kafka.admin();
    await groups.connect();
    await groups
      .deleteGroups(['kcat', 'python', 'node', 'java', 'probe'].map((tool) => `${a}.${tool}`))
      .catch(() => undefined); // Groups a failed step never created are not worth a failure here.
    await groups.disconnect();
    await bed.stop(); // Deletes both topics.
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("A's topic holds what the edge producer writes by default: lz4 batches", async () => {
    assert.deepEqual(await topicCompressions(), ['lz4']);
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
    await sleep(20);
    lateSince = new Date();
    await edgeWrite(forA(late));
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

  it('each example reads lines the edge producer wrote with zstd and with gzip too', async () => {
    for (const compression of ['zstd', 'gzip'] as const) {
      const lines = accessLines(`${compression}-${randomToken()}`, 4);
      await edgeWrite(forA(lines), compression);
      linesA.push(...lines);
    }
    assert.deepEqual(await topicCompressions(), ['gzip', 'lz4', 'zstd']);
    for (const example of EXAMPLES) {
      const res = await runCommand(`${commands[example]} --from-beginning --exit-at-end`, root);
      assert.equal(res.code, 0, `${example}: ${res.stderr}`);
      assert.deepEqual(sortedLines(res.stdout), [...linesA].sort(), example);
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
