import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig, REPO_ROOT } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { customerTopic } from '@logstream/tenancy';
import { EdgeTestBed, readTopic } from '../support/edge';
import { randomCustomerId } from '../support/ids';
import { run } from '../support/process';

/**
 * What ops copy to an edge node (`npm run build:edge`) works on its own: copied away from the
 * repository and its node_modules, it starts, and delivers lines.
 */
describe('edge producer deploy folder (npm run build:edge)', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-deploy-test')));
  let dir = '';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'edge-deploy-'));
    await bed.start();
  });

  after(async () => {
    await bed.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs from a copy of the folder alone and delivers lines', async () => {
    const built = await run('bash', [path.join(REPO_ROOT, 'scripts/build-edge.sh')], {
      cwd: REPO_ROOT,
      timeoutMs: 180_000,
    });
    assert.equal(built.code, 0, built.stderr);
    const folder = path.join(dir, 'logstream-edge');
    await cp(path.join(REPO_ROOT, 'dist/edge-producer'), folder, { recursive: true });
    const entry = path.join(folder, 'logstream-edge.js');

    const help = await run(process.execPath, [entry, '--help'], { cwd: dir });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: logstream-edge/);

    const id = randomCustomerId('deploy');
    await bed.customer(id, true, 1, 1);
    const brokers = loadKafkaConfig('edge-deploy-test').brokers.join(',');
    const args = ['--brokers', brokers, '--metrics-listen', 'off', '--linger-ms', '20'];
    const sent = await run(process.execPath, [entry, ...args], {
      cwd: dir,
      input: `${id} first line\n${id} second line\nnobody-known third\n`,
      timeoutMs: 60_000,
    });
    assert.equal(sent.code, 0, sent.stderr);
    const got = await readTopic(customerTopic(id));
    assert.deepEqual(
      got.map(([, value]) => value),
      ['first line', 'second line'],
    );
  });
});
