import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  CustomerCounters,
  DiskSpool,
  type EdgeConfig,
  EdgeCounters,
  type LineBatch,
  loadEdgeConfig,
  TenantTable,
} from '@logstream/edge';
import { tenantRecord } from '@logstream/registry';
import type { CustomerId } from '@logstream/tenancy';
import { forAllSeeds, type Gen, randomChunks } from '../../../test/support/property';
import { EdgePipeline } from './edge-pipeline.service';
import type { EdgeKafkaProducer } from './kafka-producer.service';
import type { RegistryFollower } from './registry-follower.service';
import type { LineSource, SourceEvent } from './sources/line-source.types';

const CUSTOMERS = ['a', 'b', 'c'];

/** A librdkafka stand-in whose queue takes a random number of lines per call. */
class FakeProducer {
  readonly delivered: string[][] = CUSTOMERS.map(() => []);
  fatalError: string | undefined = undefined;
  calls = 0;
  constructor(private readonly g: Gen) {}
  produce(batch: LineBatch): boolean {
    this.calls++;
    // Mostly all, sometimes a part or nothing: the queue is full after that many (the pipeline
    // then waits 5 ms or more, so this stays rare to keep the spec fast).
    const room = this.g.next() < 0.95 ? batch.untaken : this.g.int(0, batch.untaken);
    for (let i = batch.taken; i < batch.taken + room; i++) {
      this.delivered[batch.slots[i]].push(
        batch.buf.toString('latin1', batch.starts[i], batch.ends[i]),
      );
    }
    batch.takenUpTo(batch.taken + room);
    return !batch.pending;
  }
  poll(): void {}
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

class ChunkSource implements LineSource {
  readonly name = 'chunks';
  constructor(private readonly chunks: Buffer[]) {}
  async *events(): AsyncGenerator<SourceEvent, void, undefined> {
    for (const c of this.chunks) yield await Promise.resolve(c);
  }
  stop(): void {}
}

function config(): EdgeConfig {
  const command = loadEdgeConfig(['--max-line-bytes', '64'], {}, 'node');
  assert.equal(command.kind, 'run');
  return (command as { config: EdgeConfig }).config;
}

describe('EdgePipeline batching (property: every routed line once, in order, per topic, counted per customer)', () => {
  it('without a spool (a full queue waits)', () => everyLineOnce(60, false));

  it('with a disk spool (a full queue sends the rest through the spool, in order)', () =>
    everyLineOnce(30, true));
});

async function everyLineOnce(seedCount: number, withSpool: boolean): Promise<void> {
  let spooled = 0;
  const table = new TenantTable();
  for (const id of CUSTOMERS)
    table.apply({ kind: 'upsert', record: tenantRecord(id as CustomerId, true, 1) });
  table.apply({ kind: 'upsert', record: tenantRecord('off' as CustomerId, false, 1) });
  const seeds: Gen[] = [];
  forAllSeeds(seedCount, (g) => void seeds.push(g));
  for (const g of seeds) {
    const expected: string[][] = CUSTOMERS.map(() => []);
    // What each customer's counts must say: [routed lines, routed bytes, inactive, oversize].
    const counts: Record<string, number[]> = {};
    const count = (id: string, field: number, n = 1) => ((counts[id] ??= [0, 0, 0, 0])[field] += n);
    const parts: string[] = [];
    const lines = g.int(0, 800);
    for (let i = 0; i < lines; i++) {
      const slot = g.int(0, CUSTOMERS.length);
      if (slot === CUSTOMERS.length) {
        const r = g.next();
        if (r < 0.3) parts.push(`nobody line-${i}\n`);
        else if (r < 0.6) {
          parts.push(`off line-${i}\n`);
          count('off', 2);
        } else {
          // Longer than --max-line-bytes (64), whole or cut across chunks: counted for its id.
          const id = g.pick([...CUSTOMERS, 'off']);
          parts.push(`${id} ${'x'.repeat(g.int(64, 3000))}\n`);
          count(id, 3);
        }
        continue;
      }
      const value = `seq=${i} ${'v'.repeat(g.int(0, 40))}`;
      expected[slot].push(value);
      count(CUSTOMERS[slot], 0);
      count(CUSTOMERS[slot], 1, value.length);
      parts.push(`${CUSTOMERS[slot]} ${value}${g.next() < 0.3 ? '\r\n' : '\n'}`);
    }
    const bytes = Buffer.from(parts.join(''), 'latin1');
    const producer = new FakeProducer(g);
    const counters = new EdgeCounters();
    const perCustomer = new CustomerCounters();
    const dir = withSpool ? mkdtempSync(path.join(tmpdir(), 'pipeline-spool-')) : undefined;
    const spool =
      dir === undefined
        ? undefined
        : DiskSpool.open(
            { dir, maxBytes: 1 << 24, segmentBytes: 4096, fsyncMs: 1000 },
            () => undefined,
          );
    const pipeline = new EdgePipeline(
      config(),
      new ChunkSource(randomChunks(g, bytes, [7, 64, 1024, 16_384])),
      producer as unknown as EdgeKafkaProducer,
      { caughtUp: Promise.resolve() } as unknown as RegistryFollower,
      table,
      counters,
      perCustomer,
      spool,
      () => undefined,
    );
    await pipeline.run(() => false);
    if (spool) {
      spooled += spool.stats.spooledLines;
      pipeline.closeSpool(true);
      assert.equal(spool.stats.droppedLines, 0);
      rmSync(dir as string, { recursive: true });
    }
    assert.deepEqual(producer.delivered, expected, `seed ${g.seed}`);
    assert.equal(counters.linesRouted, expected.flat().length, `seed ${g.seed}`);
    assert.deepEqual(perCustomer.totals(table), counts, `seed ${g.seed}`);
  }
  if (withSpool) assert.ok(spooled > 100, `${spooled} lines went through the spool`);
}
