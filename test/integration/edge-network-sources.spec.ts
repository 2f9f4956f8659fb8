import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { EdgeTestBed, finalCounters, readTopic, startEdge } from '../support/edge';
import { randomCustomerId } from '../support/ids';

async function listeningPort(edge: AppProcess): Promise<number> {
  const line = await edge.waitForLog((l) => l.msg === 'network source listening', 'the listener');
  return Number(line.port);
}

async function waitForLines(ids: CustomerId[], total: number): Promise<Map<CustomerId, string[]>> {
  for (let i = 0; ; i++) {
    const got = new Map<CustomerId, string[]>();
    for (const id of ids)
      got.set(
        id,
        (await readTopic(customerTopic(id))).map(([, v]) => v),
      );
    const n = [...got.values()].reduce((s, v) => s + v.length, 0);
    if (n >= total || i > 60) return got;
    await sleep(500);
  }
}

describe('edge producer network sources (udp:, tcp:) against the real broker', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-network-test')));
  before(() => bed.start());
  after(() => bed.stop());

  it('udp: one or more lines per datagram, the datagram end ends a line; exact delivery', async () => {
    const a = randomCustomerId('udp');
    const b = randomCustomerId('udp');
    await bed.customer(a, true);
    await bed.customer(b, true);
    const edge = startEdge(['--source', 'udp:127.0.0.1:0']);
    try {
      const port = await listeningPort(edge);
      await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
      const socket = createSocket('udp4');
      const expected = new Map<CustomerId, string[]>([
        [a, []],
        [b, []],
      ]);
      for (let i = 0; i < 300; i++) {
        const id = i % 3 === 0 ? b : a;
        const lines = [`seq=${i} one`, `seq=${i} two`].slice(0, 1 + (i % 2));
        expected.get(id)?.push(...lines);
        // Odd datagrams carry two lines; every third has no final newline.
        const text = lines.map((l) => `${id} ${l}`).join('\n') + (i % 3 === 1 ? '' : '\n');
        await new Promise<void>((r) => socket.send(text, port, '127.0.0.1', () => r()));
        if (i % 10 === 9) await sleep(10);
      }
      socket.close();
      const total = [...expected.values()].reduce((sum, v) => sum + v.length, 0);
      const got = await waitForLines([a, b], total);
      await edge.stop();
      const counters = finalCounters(edge) as Record<string, number>;
      // Exact: every delivered line was sent, once; a datagram that is missing was reported
      // dropped (by the edge, or by the kernel's socket statistics), never lost silently.
      const seqOf = (v: string) => Number(/^seq=(\d+) /.exec(v)?.[1]);
      const delivered = [...(got.get(a) ?? []), ...(got.get(b) ?? [])];
      assert.equal(new Set(delivered).size, delivered.length, 'no line twice');
      const sent = new Set([...(expected.get(a) ?? []), ...(expected.get(b) ?? [])]);
      for (const v of delivered) assert.ok(sent.has(v), `unexpected line ${v}`);
      const seqs = new Set(delivered.map(seqOf));
      for (const id of [a, b]) {
        const want = (expected.get(id) ?? []).filter((v) => seqs.has(seqOf(v)));
        assert.deepEqual(got.get(id)?.sort(), want.sort(), 'whole datagrams, to the right topic');
      }
      const missing = 300 - seqs.size;
      assert.equal(missing, counters.udpDatagramsDropped + counters.udpKernelDrops);
      assert.ok(missing < 150, `${missing} of 300 datagrams dropped`);
    } finally {
      edge.kill('SIGKILL');
    }
  });

  it('tcp: many connections writing lines in pieces; lines never mix; exact delivery', async () => {
    const a = randomCustomerId('tcp');
    await bed.customer(a, true);
    const edge = startEdge(['--source', 'tcp:0', '--max-line-bytes', '1024']);
    try {
      const port = await listeningPort(edge);
      await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
      const expected: string[] = [];
      const conns = Array.from({ length: 5 }, () => connect(port, '127.0.0.1'));
      await Promise.all(conns.map((c) => new Promise((r) => c.once('connect', r))));
      for (let i = 0; i < 200; i++) {
        for (const [k, c] of conns.entries()) {
          const value = `conn=${k} seq=${i} ${'x'.repeat(i % 40)}`;
          expected.push(value);
          const text = `${a} ${value}\n`;
          // Every line goes out in two writes, so pieces of different connections interleave.
          const cut = 1 + (i % (text.length - 1));
          c.write(text.slice(0, cut));
          await sleep(0);
          c.write(text.slice(cut));
        }
      }
      // An oversize line on one connection, then a last line without a newline at close.
      conns[0].write(`${a} ${'y'.repeat(2000)}\n`);
      conns[1].end(`${a} last-without-newline`);
      expected.push('last-without-newline');
      for (const c of conns) c.end();
      const got = await waitForLines([a], expected.length);
      await edge.stop();
      assert.deepEqual(got.get(a)?.sort(), expected.sort());
      const counters = finalCounters(edge) as Record<string, number> & {
        droppedBy: Record<string, number>;
      };
      assert.equal(counters.tcpConnections, 5);
      assert.equal(counters.droppedBy.oversize, 1);
    } finally {
      edge.kill('SIGKILL');
    }
  });
});
