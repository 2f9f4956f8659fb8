import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { customerTopic } from '@logstream/tenancy';
import { AppProcess } from '../support/app-process';
import { EdgeTestBed } from '../support/edge';
import { randomCustomerId } from '../support/ids';
import { TestKafkaCluster } from '../support/kafka-cluster';
import { run } from '../support/process';
import { recordFigures } from '../support/test-output';

const kafka = new TestKafkaCluster(29592);

function edgeOnFile(file: string): AppProcess {
  return new AppProcess('edge-producer', {}, [
    ...['--source', `file:${file}`, '--start-at', 'beginning', '--checkpoint-ms', '300'],
    ...['--brokers', kafka.brokers[0], '--metrics-listen', 'off', '--linger-ms', '50'],
    // A small queue fills within the outage; a short flush limit makes the stop quick.
    ...['--queue-max-messages', '1000', '--shutdown-timeout-s', '2', '--stats-interval-s', '1'],
    ...['--customer-stats-s', '0'],
  ]);
}

async function readSeqs(topic: string): Promise<number[]> {
  const res = await run(
    'kcat',
    ['-b', kafka.brokers[0], '-C', '-t', topic, '-o', 'beginning', '-e', '-q'],
    { timeoutMs: 60_000 },
  );
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.slice(l.indexOf('=') + 1)));
}

const lines = (from: number, to: number, id: string) =>
  Array.from({ length: to - from }, (_, i) => `${id} seq=${from + i}\n`).join('');

/**
 * The edge producer is stopped (SIGTERM) during a broker outage, with its queue full and
 * reading paused: it must not record a file position past lines Kafka never got. Restarted
 * after the broker is back, it delivers every line.
 */
describe('edge producer stopped during a broker outage (file source)', () => {
  const bed = new EdgeTestBed(kafka.client('stop-test'));
  let dir = '';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'edge-stop-'));
    await kafka.start();
    await bed.start();
  });

  after(async () => {
    await bed.stop().catch(() => undefined);
    await kafka.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 without saving the position, and the restart loses no line', async () => {
    const id = randomCustomerId('stop');
    await bed.customer(id, true, 1, 1);
    const file = path.join(dir, 'access.log');
    const total = 6000;
    await appendFile(file, lines(0, 500, id));

    const first = edgeOnFile(file);
    await first.waitForLog((l) => l.msg === 'stats' && l.routed === 500, 'the first 500 lines');
    await sleep(1000); // a checkpoint after they were acknowledged
    await kafka.kill(1);
    await appendFile(file, lines(500, total, id));
    await first.waitForLog(
      (l) => l.msg === 'stats' && Number(l.queueFull) > 0,
      'reading paused on a full queue',
      60_000,
    );
    first.kill('SIGTERM');
    const stopped = await first.waitForExit(60_000);
    assert.equal(stopped.code, 1, 'a stop that could not deliver everything read says so');
    assert.ok(
      first.lines.some(
        (l) => l.msg === 'not everything read was delivered (a file source resumes before it)',
      ),
      first.raw.slice(-5).join('\n'),
    );

    await kafka.start();
    const second = edgeOnFile(file);
    let seen: number[] = [];
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(1000)) {
      seen = await readSeqs(customerTopic(id));
      if (new Set(seen).size >= total) break;
    }
    const exit = await second.stop(60_000);
    assert.equal(exit.code, 0, second.raw.slice(-5).join('\n'));
    const unique = new Set(seen);
    const missing = [...Array(total).keys()].filter((s) => !unique.has(s));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} lines lost`);
    recordFigures(
      __filename,
      'stopped during an outage, file source',
      `stop during outage: ${total} lines written, ${unique.size} delivered, 0 lost, ${seen.length - unique.size} repeated (read again after the unsaved position)`,
    );
  });
});
