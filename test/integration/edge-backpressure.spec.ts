import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { customerTopic } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { checkDelivery, type ExpectedLine, some } from '../support/delivery-check';
import { EdgeTestBed, finalCounters, startEdge } from '../support/edge';
import { readTopicsInGroup } from '../support/group-reader';
import { randomCustomerId, randomToken } from '../support/ids';
import { TestKafkaCluster } from '../support/kafka-cluster';
import { LineFeeder } from '../support/line-feeder';
import { recordFigures } from '../support/test-output';

const PORT_BASE = 21350; // clear of the cluster test's 21100, 21200, 21300

/**
 * What the edge does with lines it cannot send: a broker of this test's own is SIGKILLed while
 * lines keep coming, and restarted later. The local queue holds lines up to its bound; then
 * reading pauses (backpressure reaches the writer) and nothing is dropped.
 */
describe('edge producer queue during a broker outage', () => {
  const cluster = new TestKafkaCluster(PORT_BASE);
  const bed = new EdgeTestBed(cluster.client('backpressure-test'));
  const edges: AppProcess[] = [];

  before(async () => {
    await cluster.destroy(); // a folder left by an earlier, interrupted run
    await cluster.start();
    await bed.start();
  });

  after(async () => {
    for (const e of edges) e.kill('SIGKILL');
    await bed.stop().catch(() => undefined);
    await cluster.destroy();
  });

  interface Outage {
    begin(): Promise<void>;
    end(): Promise<void>;
  }

  /** The broker process SIGKILLed, then started again. */
  const brokerDown: Outage = {
    begin: () => cluster.kill(1),
    end: () => cluster.restart(),
  };

  /** Streams `rate` lines/s into an edge, with an outage of `outageMs` in the middle. */
  async function throughOutage(flags: string[], rate: number, outage: Outage, outageMs: number) {
    const id = randomCustomerId('bp');
    const topic = customerTopic(id);
    await bed.customer(id, true, 1, 1);
    const edge = startEdge(
      ['--brokers', cluster.brokers[0], '--linger-ms', '100', '--stats-interval-s', '1', ...flags],
      { stdin: 'pipe' },
    );
    edges.push(edge);
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    const expected: ExpectedLine[] = [];
    const pad = 'x'.repeat(200);
    const feeder = new LineFeeder(
      edge.stdin,
      (seq) => {
        const value = `seq=${seq} "GET /a/${seq}.js HTTP/1.1" 200 ${pad}`;
        expected[seq] = { topic, value: Buffer.from(value) };
        return `${id} ${value}\n`;
      },
      rate,
    );
    feeder.start();
    await sleep(2000);
    const downAt = feeder.sent;
    const began = Date.now();
    await outage.begin();
    await sleep(outageMs);
    await outage.end();
    const outageLastedMs = Date.now() - began;
    const sentWhileDown = feeder.sent - downAt;
    await sleep(3000);
    const sent = await feeder.stop();
    const exit = await edge.waitForExit(120_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
    const counters = finalCounters(edge);
    const stats = edge.lines.filter((l) => l.msg === 'stats');
    const deepestQueue = Math.max(0, ...stats.map((l) => Number(l.queueMessages)));
    const got = await readTopicsInGroup(cluster.brokers, [topic], `${id}.check-${randomToken()}`);
    return {
      sent,
      sentWhileDown,
      outageLastedMs,
      counters,
      deepestQueue,
      feeder,
      report: checkDelivery(expected, got),
    };
  }

  it('pauses reading when the queue is full, drops nothing, and delivers everything once after', async () => {
    // A 1,000-line queue fills in 2 s at 500 lines/s; the broker is away for 12 s.
    const r = await throughOutage(
      ['--queue-max-messages', '1000', '--queue-max-mbytes', '1'],
      500,
      brokerDown,
      12_000,
    );
    const c = r.counters;
    assert.ok(Number(c.queueFull) > 0, 'the queue filled up');
    assert.ok(Number(c.blockedMs) > 0, 'blocked time is counted');
    assert.ok(r.feeder.longestStallMs > 0, 'the writer felt the pause (the pipe filled)');
    assert.ok(r.deepestQueue <= 1000, `the queue stayed within its bound: ${r.deepestQueue}`);
    assert.equal(c.read, r.sent);
    assert.equal(c.routed, r.sent);
    assert.equal(c.dropped, 0);
    assert.equal(c.produceErrors, 0);
    assert.equal(r.report.lost.length, 0, `lost ${some(r.report.lost)}`);
    assert.equal(r.report.duplicated.length, 0, `duplicated ${some(r.report.duplicated)}`);
    assert.equal(r.report.misrouted.length, 0);
    assert.deepEqual(r.report.altered, []);
    assert.equal(r.report.deliveredOnce, r.sent);
    recordFigures(
      __filename,
      'full queue in an outage',
      `backpressure: ${r.sent} lines sent (${r.sentWhileDown} during the ${r.outageLastedMs} ms the broker was down), ${r.report.deliveredOnce} delivered once, 0 lost, 0 duplicated; ` +
        `queue full ${String(c.queueFull)} times, edge blocked ${String(c.blockedMs)} ms, writer stalled ${r.feeder.stalledMs} ms (longest ${r.feeder.longestStallMs} ms), deepest queue ${r.deepestQueue}`,
    );
  });

  it('a message timeout shorter than an outage expires queued lines: lost, but every one counted', async () => {
    // Why the edge sets message.timeout.ms=0: librdkafka's default (300 s) would lose the lines
    // of an outage longer than 5 minutes, as this 3 s limit does in a 8 s one. The -X setting
    // reaching librdkafka at all is checked here too (node-rdkafka takes it per topic only).
    const r = await throughOutage(['-X', 'message.timeout.ms=3000'], 200, brokerDown, 8_000);
    assert.ok(r.report.lost.length > 0, 'lines queued past the timeout are lost');
    assert.equal(Number(r.counters.produceErrors), r.report.lost.length, 'each loss is counted');
    assert.equal(r.report.duplicated.length, 0);
    assert.equal(r.report.deliveredOnce + r.report.lost.length, r.sent);
    recordFigures(
      __filename,
      'message timeout shorter than an outage',
      `message timeout 3 s, broker down ${r.outageLastedMs} ms: ${r.sent} lines sent, ${r.report.deliveredOnce} delivered, ${r.report.lost.length} lost (counted as produce errors: ${String(r.counters.produceErrors)})`,
    );
  });
});
