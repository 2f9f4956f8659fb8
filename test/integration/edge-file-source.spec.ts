import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { customerTopic } from '@logstream/tenancy';
import type { AppProcess } from '../support/app-process';
import { EdgeTestBed, readTopic, startEdge } from '../support/edge';
import { randomCustomerId } from '../support/ids';
import { eventually } from '../support/process';
import { recordFigures } from '../support/test-output';

/** The edge saves its file position this often (--checkpoint-ms). */
const CHECKPOINT_MS = 200;
/** During the kill -9, the writer appends WRITE_LINES lines, then pauses WRITE_PAUSE_MS. */
const WRITE_LINES = 50;
const WRITE_PAUSE_MS = 25;
/**
 * What a restart may repeat: the lines read since the last saved position, i.e. at most one
 * checkpoint interval of the writer's fastest rate (WRITE_LINES per WRITE_PAUSE_MS; writing
 * takes time too, so the real rate is lower), plus the one write the interval cuts through.
 */
const MAX_REPEATED = Math.ceil((CHECKPOINT_MS * WRITE_LINES) / WRITE_PAUSE_MS) + WRITE_LINES;

describe('edge producer file source: rotation, truncation, kill -9', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-test')));
  let dir: string;

  before(async () => {
    await bed.start();
    dir = await mkdtemp(path.join(tmpdir(), 'logstream-tail-'));
  });
  after(async () => {
    await bed.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no line across rename, truncation and a kill -9 restart, and repeats few', async () => {
    const id = randomCustomerId('tail');
    await bed.customer(id, true, 1, 1);
    const log = path.join(dir, 'access.log');
    let seq = 0;
    const write = async (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(`${id} seq=${seq++}`);
      await appendFile(log, `${lines.join('\n')}\n`);
    };
    const start = (): AppProcess =>
      startEdge([
        '--source',
        `file:${log}`,
        '--start-at',
        'beginning',
        '--checkpoint-ms',
        String(CHECKPOINT_MS),
      ]);
    const routedSoFar = async () => (await readTopic(customerTopic(id))).length;

    await writeFile(log, '');
    let edge = start();
    await write(500);
    await eventually(
      async () => ((await routedSoFar()) >= 500 ? true : undefined),
      'the first lines',
      20_000,
    );

    // logrotate's default: rename, then the writer opens a new file.
    await rename(log, `${log}.1`);
    await appendFile(`${log}.1`, `${id} seq=${seq++}\n`); // the writer's last line, after the rename
    await write(300);
    await eventually(
      async () => ((await routedSoFar()) >= seq ? true : undefined),
      'lines after the rename',
      20_000,
    );

    // copytruncate: the file is emptied in place.
    await truncate(log, 0);
    await sleep(300);
    await write(300);
    await eventually(
      async () => ((await routedSoFar()) >= seq ? true : undefined),
      'lines after the truncation',
      20_000,
    );

    // kill -9 while lines are being written; the restart resumes from the saved position.
    const writer = (async () => {
      for (let i = 0; i < 20; i++) {
        await write(WRITE_LINES);
        await sleep(WRITE_PAUSE_MS);
      }
    })();
    await sleep(200);
    edge.kill('SIGKILL');
    await edge.waitForExit();
    await writer;
    edge = start();
    await eventually(
      async () => ((await routedSoFar()) >= seq ? true : undefined),
      'every line after the restart',
      30_000,
    );
    await edge.stop();

    const seen = (await readTopic(customerTopic(id))).map(([, v]) =>
      Number(/seq=(\d+)/.exec(v)?.[1]),
    );
    const counts = new Map<number, number>();
    for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
    const missing = [...Array(seq).keys()].filter((s) => !counts.has(s));
    const duplicates = seen.length - counts.size;
    assert.deepEqual(missing, [], 'lines lost');
    // The restart repeats at most what was read after the last checkpoint.
    assert.ok(duplicates <= MAX_REPEATED, `${duplicates} duplicates, more than ${MAX_REPEATED}`);
    recordFigures(
      __filename,
      'edge producer killed with the file source',
      `file source: ${seq} lines written, ${seen.length} delivered, 0 lost, ${duplicates} duplicated by the kill -9 (at most ${MAX_REPEATED})`,
    );
  });
});
