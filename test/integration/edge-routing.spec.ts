import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { type CustomerId, customerTopic, parseCustomerId } from '@logstream/tenancy';
import { seededRandom } from '@logstream/traffic';
import { EdgeTestBed, finalCounters, readTopic, startEdge } from '../support/edge';
import { randomCustomerId, randomToken } from '../support/ids';

describe('edge producer routing against the real broker', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-test')));

  before(() => bed.start());
  after(() => bed.stop());

  /** Runs the edge over `input` on stdin to EOF; returns its final counters. */
  async function runEdge(input: string | Buffer): Promise<Record<string, unknown>> {
    const edge = startEdge(['--source', 'stdin'], { stdin: 'pipe' });
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    edge.stdin.end(input);
    const exit = await edge.waitForExit(60_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
    return finalCounters(edge);
  }

  it('delivers exactly the expected lines, byte for byte and in order, and counts every drop', async () => {
    const base = randomCustomerId('edge');
    const ids = [
      base,
      parseCustomerId(`${base}-eu`),
      parseCustomerId(`${base}-eu-2`),
      randomCustomerId('edge'),
    ];
    const inactive = randomCustomerId('edge');
    for (const id of ids) await bed.customer(id, true);
    await bed.customer(inactive, false);

    const expected = new Map<CustomerId, string[]>(ids.map((id) => [id, []]));
    const lines: string[] = [];
    const random = seededRandom(42);
    const drops = { unknown_customer: 0, inactive: 0, invalid_id: 0, malformed: 0 };
    for (let i = 0; i < 3000; i++) {
      const r = random();
      if (r < 0.8) {
        const id = ids[Math.floor(random() * ids.length)];
        // Bytes that must survive unchanged: tabs, quotes, UTF-8, a space-run, an inner \r;
        // some lines end with CRLF, whose \r is part of the line end, not of the line.
        const value = `${i} "GET /p?q=${i}" 200 ü\t€ x\r  y`;
        expected.get(id)?.push(value);
        lines.push(`${id} ${value}${i % 7 === 0 ? '\r' : ''}`);
      } else if (r < 0.85) {
        lines.push(`${inactive} ${i} inactive`);
        drops.inactive++;
      } else if (r < 0.9) {
        lines.push(`unknown-${randomToken()} ${i} unknown`);
        drops.unknown_customer++;
      } else if (r < 0.95) {
        lines.push([`UPPER ${i}`, `../etc ${i}`, `-dash ${i}`, `a_b ${i}`][i % 4]);
        drops.invalid_id++;
      } else {
        lines.push(['', `${ids[0]}`, ` leading-space ${i}`][i % 3]);
        drops.malformed++;
      }
    }
    const counters = await runEdge(`${lines.join('\n')}\n`);

    for (const id of ids) {
      const got = await readTopic(customerTopic(id));
      const partitions = new Set(got.map(([p]) => p));
      assert.ok(
        partitions.size <= 1,
        `one node's lines stay in one partition (ordered): ${[...partitions].join(',')}`,
      );
      assert.deepEqual(
        got.map(([, v]) => v),
        expected.get(id),
        `topic of ${id}`,
      );
    }
    assert.deepEqual(await readTopic(customerTopic(inactive)), []);
    const routed = [...expected.values()].reduce((n, l) => n + l.length, 0);
    assert.equal(counters.read, lines.length);
    assert.equal(counters.routed, routed);
    assert.deepEqual(counters.droppedBy, { ...drops, oversize: 0, queue_full: 0 });
  });

  it('never routes a line to another customer, for random ids that prefix each other', async () => {
    const random = seededRandom(7);
    const ids: CustomerId[] = [];
    const root = `p${randomToken()}`;
    for (let i = 0; i < 24; i++) {
      // Grow ids from each other: a, a-b, a-b1, ... so many ids are prefixes of others.
      const parent =
        ids.length > 0 && random() < 0.7 ? ids[Math.floor(random() * ids.length)] : root;
      const id = parseCustomerId(
        `${parent}${random() < 0.5 ? '-' : ''}${Math.floor(random() * 36).toString(36)}`.slice(
          0,
          63,
        ),
      );
      if (!ids.includes(id)) ids.push(id);
    }
    for (const id of ids) await bed.customer(id, true, 1, 1);
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const id = ids[Math.floor(random() * ids.length)];
      lines.push(`${id} owner=${id} seq=${i}`);
    }
    const counters = await runEdge(`${lines.join('\n')}\n`);
    let total = 0;
    for (const id of ids) {
      const got = await readTopic(customerTopic(id));
      total += got.length;
      for (const [, v] of got)
        assert.equal(v.split(' ')[0], `owner=${id}`, `a line of another customer in ${id}'s topic`);
    }
    assert.equal(total, lines.length);
    assert.equal(counters.routed, lines.length);
  });

  it('drops oversize lines and binary junk, keeps going, and sends a last line without newline', async () => {
    const id = randomCustomerId('edge');
    await bed.customer(id, true, 1, 1);
    const big = `${id} ${'x'.repeat(2 * 1024 * 1024)}`;
    const input = Buffer.concat([
      Buffer.from(`${id} first\n${big}\n`),
      Buffer.from([0x00, 0xff, 0x20, 0x0a, 0xc3, 0x28, 0x0a]),
      Buffer.from(`${id} bin\u0000ary ok\n${id} last-without-newline`),
    ]);
    const counters = await runEdge(input);
    assert.deepEqual(
      (await readTopic(customerTopic(id))).map(([, v]) => v),
      ['first', 'bin\u0000ary ok', 'last-without-newline'],
    );
    assert.equal((counters.droppedBy as Record<string, number>).oversize, 1);
    assert.equal(counters.read, 6);
  });
});
