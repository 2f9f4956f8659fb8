import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Partitioners } from 'kafkajs';
import { loadKafkaConfig, processEnv, REPO_ROOT } from '@logstream/config';
import { parseEnvFile } from '@logstream/edge-nodes';
import {
  type AclBinding,
  aclKey,
  createKafkaClient,
  edgeProducerAcls,
  KafkaAdminService,
} from '@logstream/kafka';
import { customerTopic, TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';
import { AppProcess } from '../support/app-process';
import { assertDenied, customerKafka } from '../support/attacker';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { DesiredStateWriter } from '../support/desired-state';
import { readTopic } from '../support/edge';
import { randomCustomerId, randomToken } from '../support/ids';
import { eventually, run, type RunResult } from '../support/process';
import { randomLockKey, startProvisioner, waitForState } from '../support/provisioner';

const CLI = path.join(REPO_ROOT, 'dist/apps/edge-admin/src/main.js');
/** Long enough that a prompt revocation can only be the NOTIFY's doing, not a periodic resync. */
const RESYNC_MS = 15_000;
const DEV_EDGE = `edge-dev-${randomToken()}`;
const GONE_EDGE = `edge-gone-${randomToken()}`;
const OPERATOR = `ops-${randomToken()}`;

interface Bundle {
  dir: string;
  env: Record<string, string>;
  tls: { caPem: string; certPem: string; keyPem: string };
}

describe('edge nodes enrolled with edge-admin: own certificates, exact and revocable grants', () => {
  let db: ScratchDatabase;
  let writer: DesiredStateWriter;
  let admin: KafkaAdminService;
  let provisioner: AppProcess;
  const c = randomCustomerId('enroll');
  const n1 = `n1-${randomToken()}`;
  const n2 = `n2-${randomToken()}`;
  const bundles = new Map<string, Bundle>();
  const dirs: string[] = [];
  const handMade: AclBinding[] = [];

  function cli(args: string[]): Promise<RunResult> {
    return run(process.execPath, [CLI, ...args], {
      env: { ...processEnv(), LOGSTREAM_DATABASE_URL: db.url },
      timeoutMs: 30_000,
    });
  }

  function provisionerWith(edgePrincipals: string): AppProcess {
    return startProvisioner(db, randomLockKey(), {
      LOGSTREAM_EDGE_PRINCIPALS: edgePrincipals,
      LOGSTREAM_PROVISIONER_OPERATOR_PRINCIPALS: OPERATOR,
      LOGSTREAM_PROVISIONER_RESYNC_MS: String(RESYNC_MS),
    });
  }

  async function aclKeys(): Promise<Set<string>> {
    return new Set((await admin.describeAcls()).map(aclKey));
  }

  async function holds(principal: string): Promise<boolean> {
    const now = await aclKeys();
    return edgeProducerAcls(principal).every((a) => now.has(aclKey(a)));
  }

  /** Whether the principal holds no ACL at all (any resource, any operation). */
  async function holdsNone(principal: string): Promise<boolean> {
    return (await admin.describeAcls({ principal })).length === 0;
  }

  async function enroll(name: string): Promise<Bundle> {
    const dir = await mkdtemp(path.join(tmpdir(), `logstream-enroll-${name}-`));
    dirs.push(dir);
    const out = path.join(dir, 'bundle');
    // edge.env names the files where they are here, as on a node installed in /etc/logstream.
    const res = await cli(['enroll', name, '--out', out, '--install-dir', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      new RegExp(`enrolled edge node ${name}: principal logstream-edge\\.${name}`),
    );
    const env = parseEnvFile(await readFile(path.join(out, 'edge.env'), 'utf8'));
    const bundle = {
      dir: out,
      env,
      tls: {
        caPem: await readFile(env.LOGSTREAM_EDGE_CA_FILE, 'utf8'),
        certPem: await readFile(env.LOGSTREAM_EDGE_CERT_FILE, 'utf8'),
        keyPem: await readFile(env.LOGSTREAM_EDGE_KEY_FILE, 'utf8'),
      },
    };
    bundles.set(name, bundle);
    return bundle;
  }

  /** One produce with the node's certificate, from a fresh client (no cached metadata). */
  async function produce(bundle: Bundle, value: string): Promise<void> {
    const producer = customerKafka(bundle.tls).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      await producer.send({ topic: customerTopic(c), messages: [{ value }] });
    } finally {
      await producer.disconnect();
    }
  }

  async function readRegistry(bundle: Bundle): Promise<void> {
    const client = customerKafka(bundle.tls).admin();
    await client.connect();
    try {
      await client.fetchTopicOffsets(TENANT_REGISTRY_TOPIC);
    } finally {
      await client.disconnect();
    }
  }

  before(async () => {
    admin = new KafkaAdminService(createKafkaClient(loadKafkaConfig('logstream-test')));
    await admin.connect();
    db = await createScratchDatabase('enroll');
    writer = new DesiredStateWriter(db.db);
    provisioner = provisionerWith(`${DEV_EDGE},${GONE_EDGE}`);
    await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    await writer.createCustomer(c, true);
    await waitForState(writer, c, 'active');
  });

  after(async () => {
    await provisioner?.stop();
    const principals = [
      DEV_EDGE,
      GONE_EDGE,
      OPERATOR,
      `logstream-edge.${n1}`,
      `logstream-edge.${n2}`,
    ];
    await admin
      .deleteAcls([...principals.flatMap(edgeProducerAcls), ...handMade])
      .catch(() => undefined);
    await admin.deleteTopic(customerTopic(c)).catch(() => undefined);
    await admin.disconnect();
    await db?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('refuses bad arguments (exit 2) and unknown or bad names with a clear reason', async () => {
    const bad = await cli(['enroll', 'Bad_Name', '--out', path.join(tmpdir(), 'never')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid node name "Bad_Name": it must be lowercase/);
    const none = await cli(['frobnicate']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /unknown command "frobnicate"/);
    const unknown = await cli(['revoke', `ghost-${randomToken()}`]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no edge node named "ghost-[0-9a-f]+" is enrolled/);
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: edge-admin <command>/);
  });

  it("enrolls two nodes whose bundles work as shipped: the edge producer on node 1's edge.env produces to the customer's topic", async () => {
    const b1 = await enroll(n1);
    const b2 = await enroll(n2);
    assert.equal((await stat(b1.env.LOGSTREAM_EDGE_KEY_FILE)).mode & 0o777, 0o600);
    assert.equal(b1.env.LOGSTREAM_EDGE_BROKERS, loadKafkaConfig('t').customerBootstrap.join(','));
    assert.equal(b1.env.LOGSTREAM_EDGE_NODE_ID, n1);

    const again = await cli(['enroll', n1, '--out', path.join(b1.dir, '..', 'again')]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`edge node "${n1}" is already enrolled`));

    // The enrollment's NOTIFY reconciles at once; the periodic resync is 15 s away.
    const grantedIn = Date.now();
    await eventually(
      async () =>
        (await holds(`logstream-edge.${n1}`)) && (await holds(`logstream-edge.${n2}`))
          ? true
          : undefined,
      'both nodes to be granted the edge ACLs',
      RESYNC_MS - 2_000,
      200,
    );
    console.log(`enrolled nodes granted within ${Date.now() - grantedIn} ms`);

    const edge = new AppProcess(
      'edge-producer',
      b1.env,
      [
        '--source',
        'stdin',
        '--metrics-listen',
        'off',
        '--linger-ms',
        '20',
        '--stats-interval-s',
        '0',
      ],
      { stdin: 'pipe' },
    );
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry over SSL');
    const marker = `from-${n1}-${randomToken()}`;
    for (let i = 0; i < 5; i++) edge.stdin.write(`${c} ${marker} seq=${i}\n`);
    edge.stdin.end();
    const exit = await edge.waitForExit(30_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
    const lines = (await readTopic(customerTopic(c))).map(([, v]) => v);
    assert.equal(lines.filter((v) => v.startsWith(marker)).length, 5, lines.join('\n'));

    await eventually(async () => {
      await produce(b2, `from-${n2}`);
      return true;
    }, 'node 2 to produce');
  });

  it('revoking node 1 denies its produce and registry read within the resync interval; node 2 still writes', async () => {
    const b1 = bundles.get(n1);
    const b2 = bundles.get(n2);
    assert.ok(b1 && b2, 'the nodes were enrolled');
    await readRegistry(b1);
    await produce(b1, 'before the revocation');

    const res = await cli(['revoke', n1]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`revoked edge node ${n1}`));
    const revokedAt = Date.now();
    await eventually(
      async () => ((await holdsNone(`logstream-edge.${n1}`)) ? true : undefined),
      'every grant of node 1 to go',
      RESYNC_MS,
      100,
    );
    // Kafka applies ACL changes with a short delay: the denial is awaited, then asserted.
    await eventually(
      async () => {
        try {
          await produce(b1, 'after the revocation');
          return undefined;
        } catch {
          return true;
        }
      },
      'node 1 to be refused',
      RESYNC_MS,
      200,
    );
    const deniedAfterMs = Date.now() - revokedAt;
    console.log(`revoked node denied ${deniedAfterMs} ms after edge-admin revoke`);
    assert.ok(deniedAfterMs < RESYNC_MS, `denied after ${deniedAfterMs} ms`);
    await assertDenied('TOPIC_AUTHORIZATION_FAILED', 'produce with a revoked node', () =>
      produce(b1, 'after the revocation'),
    );
    await assertDenied('TOPIC_AUTHORIZATION_FAILED', 'read the registry with a revoked node', () =>
      readRegistry(b1),
    );
    await produce(b2, `from-${n2} after ${n1} was revoked`);

    const removal = provisioner.lines.find(
      (l) =>
        l.msg === 'removed an ACL nobody should hold' && l.principal === `logstream-edge.${n1}`,
    );
    assert.equal(removal?.reason, 'edge nodes changed', 'the revocation woke the provisioner');
    assert.equal(removal?.step, 'remove-undesired-acls');

    const again = await cli(['revoke', n1]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /was already revoked/);
    const reuse = await cli(['enroll', n1, '--out', path.join(b1.dir, '..', 'reuse')]);
    assert.equal(reuse.code, 1);
    assert.match(reuse.stderr, /was revoked, but its certificate .* is valid until/);

    const list = await cli(['list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as Array<{
      name: string;
      principal: string;
      revokedAt: string | null;
    }>;
    assert.deepEqual(rows.map((r) => [r.name, r.principal, r.revokedAt !== null]).sort(), [
      [n1, `logstream-edge.${n1}`, true],
      [n2, `logstream-edge.${n2}`, false],
    ]);
  });

  it("removes the edge grants of a principal taken out of LOGSTREAM_EDGE_PRINCIPALS; keeps an operator's and the desired ones", async () => {
    assert.ok(await holds(GONE_EDGE), 'granted while configured');
    const operators = edgeProducerAcls(OPERATOR);
    handMade.push(...operators);
    await admin.createAcls(operators);
    await provisioner.stop();
    provisioner = provisionerWith(DEV_EDGE);
    await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    await eventually(
      async () => ((await holdsNone(GONE_EDGE)) ? true : undefined),
      `${GONE_EDGE}'s grants to go`,
      RESYNC_MS,
      200,
    );
    const now = await aclKeys();
    for (const a of [
      ...operators,
      ...edgeProducerAcls(DEV_EDGE),
      ...edgeProducerAcls(`logstream-edge.${n2}`),
    ]) {
      assert.ok(now.has(aclKey(a)), `kept ${aclKey(a)}`);
    }
    assert.ok(await holdsNone(`logstream-edge.${n1}`), 'the revoked node stays without access');
  });

  it('a revocation whose NOTIFY was lost still takes effect at the next periodic resync', async () => {
    // As if the notification never arrived: the row alone changes.
    await db.db.query('UPDATE edge_nodes SET revoked_at = now() WHERE name = $1', [n2]);
    const revokedAt = Date.now();
    await eventually(
      async () => ((await holdsNone(`logstream-edge.${n2}`)) ? true : undefined),
      "node 2's grants to go",
      RESYNC_MS + 5_000,
      250,
    );
    const tookMs = Date.now() - revokedAt;
    console.log(
      `revocation without NOTIFY applied after ${tookMs} ms (resync every ${RESYNC_MS} ms)`,
    );
    const removal = provisioner.lines.find(
      (l) =>
        l.msg === 'removed an ACL nobody should hold' && l.principal === `logstream-edge.${n2}`,
    );
    assert.equal(removal?.reason, 'periodic');
  });
});
