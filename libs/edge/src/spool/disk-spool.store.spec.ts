import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DiskSpool } from './disk-spool.store';
import type { DiskSpoolOptions } from './spool-dir.files';
import { BLOCK_HEADER_BYTES, SpoolBlockBuilder } from './spool-block.format';

const quiet = (): void => undefined;

/** A block of `count` lines "c seq=<n>" from `from` on, each padded to `width` bytes. */
function block(from: number, count: number, width = 60): Buffer {
  const b = new SpoolBlockBuilder();
  for (let i = from; i < from + count; i++) {
    const line = Buffer.from(`c seq=${i} `.padEnd(width, 'x'));
    b.add(line, 0, line.length);
  }
  return Buffer.from(b.finish(Date.now()) as Buffer);
}

function seqs(payload: Buffer): number[] {
  return payload
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(/seq=(\d+)/.exec(l)?.[1]));
}

function readAll(spool: DiskSpool): number[] {
  const out: number[] = [];
  for (let b = spool.read(); b !== undefined; b = spool.read()) out.push(...seqs(b.payload));
  return out;
}

describe('DiskSpool', () => {
  let dir: string;
  let options: DiskSpoolOptions;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    options = { dir, maxBytes: 1 << 20, segmentBytes: 4096, fsyncMs: 50 };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives blocks back in order across segment rolls, and deletes segments once acknowledged', () => {
    const spool = DiskSpool.open(options, quiet);
    for (let i = 0; i < 50; i++) spool.append(block(i * 10, 10));
    assert.ok(spool.segmentCount > 3, `rolled into ${spool.segmentCount} segments`);
    assert.equal(spool.unreadLines, 500);
    assert.deepEqual(readAll(spool), [...Array(500).keys()], 'every line once, oldest first');
    assert.equal(spool.hasUnread, false);
    spool.ack(spool.position());
    assert.equal(spool.stats.drainedLines, 500);
    assert.equal(spool.segmentCount, 0);
    assert.deepEqual(readdirSync(dir).sort(), ['cursor', 'lock']);
    spool.append(block(500, 5));
    assert.deepEqual(readAll(spool), [500, 501, 502, 503, 504], 'appends after an empty spool');
    spool.close();
  });

  it('after a restart, reads again from the acknowledged position and counts the repeats', () => {
    const first = DiskSpool.open(options, quiet);
    for (let i = 0; i < 20; i++) first.append(block(i * 10, 10));
    for (let i = 0; i < 5; i++) first.read();
    first.ack(first.position()); // 50 lines acknowledged
    for (let i = 0; i < 3; i++) first.read(); // 30 read, not acknowledged: a crash now
    // No close(): the process is killed.
    const second = DiskSpool.open(options, quiet);
    assert.equal(second.stats.repeatedLines, 30, 'read but not acknowledged before the crash');
    assert.deepEqual(
      readAll(second),
      [...Array(150).keys()].map((i) => i + 50),
    );
    second.close();
  });

  it('cuts off a torn tail at restart and keeps the blocks before it', () => {
    const first = DiskSpool.open(options, quiet);
    first.append(block(0, 10));
    first.append(block(10, 10));
    first.close();
    const [segment] = readdirSync(dir).filter((f) => f.endsWith('.spool'));
    const file = path.join(dir, segment);
    truncateSync(file, statSync(file).size - 7); // the last append half written
    const second = DiskSpool.open(options, quiet);
    assert.equal(second.stats.badBlocks, 1);
    assert.deepEqual(readAll(second), [...Array(10).keys()]);
    second.append(block(20, 2));
    assert.deepEqual(readAll(second), [20, 21], 'new lines after the cut');
    second.close();
  });

  it('drops a block whose checksum fails, with the rest of its segment, counted', () => {
    const first = DiskSpool.open(options, quiet);
    first.append(block(0, 10));
    first.append(block(10, 10));
    first.close();
    const [segment] = readdirSync(dir).filter((f) => f.endsWith('.spool'));
    const file = path.join(dir, segment);
    const bytes = readFileSync(file);
    bytes[BLOCK_HEADER_BYTES + 3] ^= 0xff; // a flipped byte in the first block's lines
    writeFileSync(file, bytes);
    const second = DiskSpool.open(options, quiet);
    assert.deepEqual(readAll(second), []);
    assert.equal(second.stats.badBlocks, 1);
    assert.equal(second.stats.droppedLines, 20);
    second.close();
  });

  it('over budget, drops the oldest segments and counts exactly the lines it never gave back', () => {
    const spool = DiskSpool.open({ ...options, maxBytes: 16 * 1024 }, quiet);
    const perBlock = block(0, 10).length;
    const total = 400;
    for (let i = 0; i < total / 10; i++) spool.append(block(i * 10, 10));
    assert.ok(spool.bytes <= 16 * 1024, `${spool.bytes} bytes within the budget`);
    const back = readAll(spool);
    assert.equal(back.length + spool.stats.droppedLines, total, 'every line given back or counted');
    assert.ok(spool.stats.droppedLines > 0);
    assert.deepEqual(
      back,
      [...Array(back.length).keys()].map((i) => i + total - back.length),
      'the newest lines are the ones kept',
    );
    assert.ok(perBlock * (total / 10) > 16 * 1024);
    spool.close();
  });

  it('does not count lines already read when their segment is dropped', () => {
    const spool = DiskSpool.open({ ...options, maxBytes: 8 * 1024, segmentBytes: 2048 }, quiet);
    for (let i = 0; i < 5; i++) spool.append(block(i * 10, 10));
    const read = readAll(spool).length;
    for (let i = 5; i < 40; i++) spool.append(block(i * 10, 10));
    const after = readAll(spool).length;
    assert.equal(read + after + spool.stats.droppedLines, 400);
    spool.close();
  });

  it('reports when the oldest unread line was spooled', () => {
    const spool = DiskSpool.open(options, quiet);
    assert.equal(spool.oldestUnreadAt(), undefined);
    const before = Date.now();
    spool.append(block(0, 1));
    spool.append(block(1, 1));
    const at = spool.oldestUnreadAt() as number;
    assert.ok(at >= before && at <= Date.now());
    spool.read();
    spool.read();
    assert.equal(spool.oldestUnreadAt(), undefined);
    spool.close();
  });
});
