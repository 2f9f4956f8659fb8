import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { customerTopic } from '@logstream/tenancy';
import { AppProcess } from '../support/app-process';
import { EdgeTestBed } from '../support/edge';
import { randomCustomerId } from '../support/ids';
import { TestKafkaCluster } from '../support/kafka-cluster';
import { run } from '../support/process';
import { recordFigures } from '../support/test-output';

const kafka = new TestKafkaCluster(29492);
const BROKER = kafka.brokers[0];
const OUTAGE_MS = 30_000;

/**
 * A broker of this test's own is killed (SIGKILL) for 30 s while an edge producer keeps
 * reading at a steady rate: the lines wait in librdkafka's queue and all arrive, once, when the
 * broker is back.
 */
describe('edge producer through a 30 s broker outage', () => {
  const bed = new EdgeTestBed(kafka.client('outage-test'));

  before(async () => {
    await kafka.start();
    await bed.start();
  });

  after(async () => {
    await bed.stop().catch(() => undefined);
    await kafka.destroy();
  });

  it('loses no line and repeats none', async () => {
    const id = randomCustomerId('outage');
    await bed.customer(id, true, 1, 1);
    const edge = new AppProcess(
      'edge-producer',
      {},
      [
        '--source',
        'stdin',
        '--brokers',
        BROKER,
        '--metrics-listen',
        'off',
        '--linger-ms',
        '100',
        '--stats-interval-s',
        '0',
      ],
      { stdin: 'pipe' },
    );
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    let seq = 0;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        edge.stdin.write(`${id} seq=${seq++}\n`);
        await sleep(5);
      }
      edge.stdin.end();
    })();
    await sleep(3000);
    await kafka.kill(1);
    const sentBeforeOutage = seq;
    await sleep(OUTAGE_MS);
    const sentDuringOutage = seq - sentBeforeOutage;
    await kafka.start();
    await sleep(3000);
    sending = false;
    await sender;
    const exit = await edge.waitForExit(120_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
    const res = await run(
      'kcat',
      ['-b', BROKER, '-C', '-t', customerTopic(id), '-o', 'beginning', '-e', '-q'],
      {
        timeoutMs: 60_000,
      },
    );
    const seen = res.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(l.slice(4)));
    const unique = new Set(seen);
    const missing = [...Array(seq).keys()].filter((s) => !unique.has(s));
    assert.deepEqual(missing, [], 'lines lost in the outage');
    assert.equal(seen.length - unique.size, 0, 'lines repeated (the producer is idempotent)');
    recordFigures(
      __filename,
      'broker outage under the edge',
      `broker outage: ${seq} lines sent (${sentDuringOutage} while the broker was down for ${OUTAGE_MS / 1000} s), ${unique.size} delivered once, 0 lost`,
    );
  });
});
