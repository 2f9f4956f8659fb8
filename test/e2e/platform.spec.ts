import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { customerTopic } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { readmeCommands, runCommand, unzipBundle } from '../support/bundle-examples';
import {
  ADMIN,
  binaryBody,
  controlApiTestConfig,
  startControlApi,
  type TestApi,
} from '../support/control-api';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { finalCounters, startEdge } from '../support/edge';
import { randomCustomerId, randomToken } from '../support/ids';
import { eventually } from '../support/process';
import { randomLockKey, startProvisioner } from '../support/provisioner';

/**
 * The whole chain as production runs it: the control API records what customers want, the
 * provisioner makes it so in Kafka, an edge producer follows the registry, and the customer's
 * downloaded bundle reads exactly the lines the edge sent for it.
 */
describe('the platform end to end', () => {
  let db: ScratchDatabase;
  let api: TestApi;
  let provisioner: AppProcess;
  let dir: string;
  const a = randomCustomerId('e2e');
  const b = randomCustomerId('e2e');

  before(async () => {
    db = await createScratchDatabase('platform');
    api = await startControlApi(controlApiTestConfig({ LOGSTREAM_DATABASE_URL: db.url }));
    provisioner = startProvisioner(db, randomLockKey());
    dir = await mkdtemp(path.join(tmpdir(), 'logstream-platform-'));
  });

  after(async () => {
    await provisioner?.stop();
    await api?.close();
    const admin = new KafkaAdminService(createKafkaClient(loadKafkaConfig('logstream-test')));
    await admin.connect();
    for (const id of [a, b]) await admin.deleteTopic(customerTopic(id));
    await admin.disconnect();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function streaming(id: string, enabled: boolean): Promise<void> {
    await api.http().put(`/v1/customers/${id}/streaming`).set(ADMIN).send({ enabled }).expect(202);
    const want = enabled ? 'active' : 'disabled';
    await eventually(
      async () => {
        const res = await api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN);
        return (res.body as { state?: string }).state === want ? true : undefined;
      },
      `${id} to be ${want}`,
      20_000,
      100,
    );
  }

  async function edgeRun(lines: string[]): Promise<Record<string, unknown>> {
    const edge = startEdge(['--source', 'stdin'], { stdin: 'pipe' });
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    edge.stdin.end(`${lines.join('\n')}\n`);
    assert.equal((await edge.waitForExit(60_000)).code, 0);
    return finalCounters(edge);
  }

  it("routes the edge's lines to the enabled customer, whose bundle's kcat example reads exactly them", async () => {
    for (const id of [a, b]) {
      await api
        .http()
        .post('/v1/customers')
        .set(ADMIN)
        .send({ id, name: `Customer ${id}` })
        .expect(201);
    }
    await streaming(a, true);
    const zip = await api
      .http()
      .post(`/v1/customers/${a}/credentials`)
      .set(ADMIN)
      .buffer(true)
      .parse(binaryBody)
      .expect(201);
    const root = await unzipBundle(Readable.from([zip.body as Buffer]), dir, `${a}-logstream`);

    const tag = randomToken();
    const mine = Array.from({ length: 50 }, (_, i) => `GET /a/${i} 200 ${tag}`);
    const counters = await edgeRun([
      ...mine.map((l) => `${a} ${l}`),
      ...Array.from({ length: 20 }, (_, i) => `${b} GET /b/${i} 200 ${tag}`),
    ]);
    assert.equal(counters.routed, 50);
    assert.equal(
      (counters.droppedBy as Record<string, number>).inactive,
      20,
      "B's lines: known but not enabled",
    );

    const commands = await readmeCommands(root);
    const res = await runCommand(`${commands.kcat} --from-beginning --exit-at-end`, root);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(res.stdout.split('\n').filter(Boolean), mine);
  });

  it('stops routing once the customer is disabled through the API', async () => {
    await streaming(a, false);
    const counters = await edgeRun([`${a} GET /after-disable 200`]);
    assert.equal(counters.routed, 0);
    assert.equal((counters.droppedBy as Record<string, number>).inactive, 1);
  });
});
