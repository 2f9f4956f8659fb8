import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadProvisionerConfig } from '@logstream/config';
import { customerTopicSpec } from '@logstream/provisioning';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { accessLogLine, seededRandom } from '@logstream/traffic';
import type { AppProcess } from '../support/app-process';
import { checkDelivery, type ExpectedLine, some } from '../support/delivery-check';
import { EdgeTestBed, finalCounters, startEdge } from '../support/edge';
import { readTopicsInGroup } from '../support/group-reader';
import { randomCustomerId, randomToken } from '../support/ids';
import { TestKafkaCluster } from '../support/kafka-cluster';
import { LineFeeder } from '../support/line-feeder';
import { eventually } from '../support/process';
import { recordFigures } from '../support/test-output';

const PORT_BASE = 21100; // brokers on 21100, 21200, 21300
const RATE = 1000; // lines per second, ~250 bytes each
const BEFORE_KILL_MS = 5_000;
const AFTER_KILL_MS = 20_000;

/**
 * A 3-broker cluster of this test's own; customer topics made as the provisioner makes them with
 * LOGSTREAM_TOPIC_REPLICATION_FACTOR=3 (min.insync.replicas 2). The broker leading the
 * partitions the edge writes to is SIGKILLed mid-stream and stays dead: the other two elect new
 * leaders and the edge's queue holds the lines meanwhile. Two consumer groups then each read
 * every line exactly once.
 */
describe('edge producer through a partition leader kill on a 3-broker cluster', () => {
  const cluster = new TestKafkaCluster(PORT_BASE, 3);
  const kafka = cluster.client('failover-test');
  const bed = new EdgeTestBed(kafka);
  let edge: AppProcess | undefined;

  before(async () => {
    await cluster.destroy(); // a folder left by an earlier, interrupted run
    await cluster.start();
    await bed.start(3);
  });

  after(async () => {
    edge?.kill('SIGKILL');
    await bed.stop().catch(() => undefined);
    await cluster.destroy();
  });

  it('delivers every line exactly once to each of two consumer groups', async () => {
    const topicSettings = loadProvisionerConfig({ LOGSTREAM_TOPIC_REPLICATION_FACTOR: '3' }).topic;
    assert.equal(topicSettings.minInsyncReplicas, 2, "the provisioner's default for RF 3");
    const ids: CustomerId[] = [0, 1, 2, 3].map(() => randomCustomerId('failover'));
    const topics = ids.map(customerTopic);
    for (const id of ids) await bed.customerWithTopic(id, customerTopicSpec(id, topicSettings));
    // New topics reach every broker's metadata a moment after they are created.
    const initial = await eventually(async () => {
      const parts = await cluster.partitions(topics, 1);
      const complete =
        parts.length === topics.length * topicSettings.partitions &&
        parts.every((p) => p.isr.join() === '1,2,3');
      return complete ? parts : undefined;
    }, 'every partition with all three replicas in sync');

    // Default queue and linger: what an edge node runs with. Stats every second trace the run.
    edge = startEdge(
      ['--brokers', cluster.brokers.join(','), '--linger-ms', '1000', '--stats-interval-s', '1'],
      { stdin: 'pipe' },
    );
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry', 60_000);
    const random = seededRandom(8);
    const expected: ExpectedLine[] = [];
    const feeder = new LineFeeder(
      edge.stdin,
      (seq) => {
        const id = ids[Math.floor(random() * ids.length)];
        const log = accessLogLine(id, Date.now(), random);
        const value = `seq=${seq} ${log.slice(id.length + 1)}`;
        expected[seq] = { topic: customerTopic(id), value: Buffer.from(value) };
        return `${id} ${value}\n`;
      },
      RATE,
    );
    feeder.start();
    await sleep(BEFORE_KILL_MS);

    // The victim: the broker leading most of the partitions that hold the edge's lines.
    const admin = kafka.admin();
    await admin.connect();
    const written = new Set<string>();
    for (const topic of topics) {
      for (const o of await admin.fetchTopicOffsets(topic))
        if (Number(o.high) > 0) written.add(`${topic}/${o.partition}`);
    }
    await admin.disconnect();
    const votes = new Map<number, number>();
    for (const p of initial.filter((p) => written.has(`${p.topic}/${p.partition}`)))
      votes.set(p.leader, (votes.get(p.leader) ?? 0) + 1);
    const victim = [...votes].sort((a, b) => b[1] - a[1])[0][0];
    const led = initial.filter((p) => p.leader === victim).map((p) => `${p.topic}/${p.partition}`);
    const alive = [1, 2, 3].find((n) => n !== victim) ?? 1;

    const readAtKill = feeder.sent;
    const killedAt = Date.now();
    await cluster.kill(victim);
    await eventually(
      async () => {
        const now = await cluster.partitions(topics, alive);
        const moved = now.filter((p) => led.includes(`${p.topic}/${p.partition}`));
        return moved.every((p) => p.leader > 0 && p.leader !== victim) ? true : undefined;
      },
      `new leaders for ${led.join(', ')}`,
      60_000,
      100,
    );
    const electionMs = Date.now() - killedAt;
    const sentDuringElection = feeder.sent - readAtKill;
    await sleep(Math.max(0, AFTER_KILL_MS - electionMs));
    const sent = await feeder.stop();
    assert.equal(feeder.error, undefined, 'the edge kept its stdin open');

    const exit = await edge.waitForExit(120_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
    const counters = finalCounters(edge);
    assert.equal(counters.read, sent, 'the edge read every line written');
    assert.equal(counters.routed, sent);
    assert.equal(counters.produceErrors, 0);
    // The default queue absorbed the election: reading never paused for room.
    assert.equal(counters.queueFull, 0, 'reading paused on a full queue');
    assert.equal(counters.blockedMs, 0);
    const stats = edge.lines.filter((l) => l.msg === 'stats');
    const worstLatency = Math.max(0, ...stats.map((l) => Number(l.deliveryLatencyP99Ms)));
    const deepestQueue = Math.max(0, ...stats.map((l) => Number(l.queueMessages)));

    const reports = [];
    for (const group of ['a', 'b']) {
      // Only the live brokers: kcat gives up when its first contacts are all refused.
      const got = await readTopicsInGroup(
        cluster.brokers.filter((_, i) => i + 1 !== victim),
        topics,
        `failover-${randomToken()}.${group}`,
      );
      const r = checkDelivery(expected, got);
      assert.equal(r.expected, sent);
      assert.equal(r.misrouted.length, 0, `group ${group} misrouted: ${some(r.misrouted)}`);
      assert.deepEqual(r.altered, [], `group ${group}: lines changed`);
      assert.equal(r.lost.length, 0, `group ${group} lost ${some(r.lost)}`);
      assert.equal(r.duplicated.length, 0, `group ${group} duplicated ${some(r.duplicated)}`);
      assert.equal(r.deliveredOnce, sent);
      assert.equal(r.read, sent);
      reports.push(r);
    }
    recordFigures(
      __filename,
      'partition leader killed, 3-broker cluster',
      `3-broker failover: broker ${victim} (leader of ${led.length} partitions, ${[...votes].map(([b, n]) => `${n} written by broker ${b}`).join(', ')}) SIGKILLed; ` +
        `new leaders after ${electionMs} ms (${sentDuringElection} lines written meanwhile); ` +
        `${sent} lines sent at ${RATE}/s, ${reports.map((r) => r.deliveredOnce).join(' and ')} delivered once to groups a and b, 0 lost, 0 duplicated; ` +
        `edge blocked ${String(counters.blockedMs)} ms (queue full ${String(counters.queueFull)} times), writer's longest stall ${feeder.longestStallMs} ms, ` +
        `deepest queue ${deepestQueue} lines, worst delivery latency p99 ${worstLatency} ms`,
    );
  });
});
