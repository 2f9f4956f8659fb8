import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { AppProcess } from '../support/app-process';
import { type ArchivedCustomer, ArchivePlatform } from '../support/archive-platform';
import { eventually } from '../support/process';
import { recordFigures } from '../support/test-output';

const LIMITS = { intervalSeconds: 30, maxLines: 150, maxBytes: 1_000_000 };

/** The archive states an archiver logged for a customer, in order. */
function statesOf(archiver: AppProcess, customer: ArchivedCustomer): string[] {
  return archiver.lines
    .filter((l) => l.msg === 'archive state' && l.customer === customer.id)
    .map((l) => String(l.state));
}

async function deliveredSome(platform: ArchivePlatform, c: ArchivedCustomer): Promise<void> {
  await eventually(
    async () => ((await platform.status(c)).uploadsOk >= 3 ? true : undefined),
    'first uploads',
    60_000,
  );
}

describe('archive faults (real broker, database, s3proxy, archiver processes)', () => {
  let platform: ArchivePlatform;

  before(async () => {
    platform = await ArchivePlatform.start('archive_faults');
  });
  after(async () => {
    platform?.s3proxy('start');
    await platform?.close();
  });

  it(`the S3 server stopped during writing: failing, then catching up, then active; no line lost, no duplicate`, async () => {
    const outageS = platform.s3Config.testOutageSeconds;
    const c = await platform.createCustomer('arc-out', { flush: LIMITS, compression: 'zstd' });
    const archiver = platform.startArchiver();
    const stopWriting = platform.produceContinuously(c);
    await deliveredSome(platform, c);
    platform.s3proxy('stop');
    const outageStarted = Date.now();
    const failing = await eventually(
      async () => {
        const s = await platform.status(c);
        return s.state === 'failing' ? s : undefined;
      },
      'state failing',
      30_000,
    );
    assert.match(
      failing.lastError ?? '',
      /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    await sleep(Math.max(0, outageS * 1000 - (Date.now() - outageStarted)));
    const behindDuringOutage = (await platform.status(c)).behindSeconds;
    platform.s3proxy('start');
    await eventually(
      () => {
        const states = statesOf(archiver, c);
        if (states.includes('catching_up')) return Promise.resolve(true);
        throw new Error(`states so far: ${states.join(' > ')}`);
      },
      'catching up reported',
      60_000,
    );
    await stopWriting();
    await platform.assertExactlyOnce(c);
    await eventually(
      async () => ((await platform.status(c)).state === 'active' ? true : undefined),
      'active again',
      60_000,
    );
    const states = statesOf(archiver, c);
    const i = states.indexOf('failing');
    const j = states.indexOf('catching_up', i);
    const k = states.indexOf('active', j);
    assert.ok(
      i >= 0 && j > i && k > j,
      `states in order failing, catching_up, active: ${states.join(' > ')}`,
    );
    const caughtUp = archiver.lines.find(
      (l) => l.msg === 'archive state' && l.state === 'catching_up',
    );
    const final = await platform.status(c);
    assert.ok(
      behindDuringOutage >= outageS - 5,
      `behind ${behindDuringOutage} s during a ${outageS} s outage`,
    );
    assert.equal(final.linesLost, 0);
    assert.equal(final.linesDelivered, c.next);
    recordFigures(
      __filename,
      'S3 server stopped during writing',
      `outage ${outageS} s: ${c.next} lines, ${final.uploadsOk} uploads ok, ${final.uploadsFailed} failed attempts, behind at most ${behindDuringOutage} s, catching up at ${String(caughtUp?.behindMs)} ms behind`,
    );
  });

  it('an archiver SIGKILLed while uploading and restarted: still exactly once', async () => {
    const c = await platform.createCustomer('arc-kill', { flush: LIMITS });
    const first = platform.startArchiver();
    const stopWriting = platform.produceContinuously(c, 60, 50);
    await deliveredSome(platform, c);
    // Objects of 150 lines are cut and stored several times a second: a kill lands in or
    // next to an upload, between the store's answer and the offset commit at times.
    await sleep(1_000 + Math.floor(Math.random() * 500));
    first.kill('SIGKILL');
    await first.waitForExit();
    await platform.produce(c, 900);
    const second = platform.startArchiver();
    await second.waitForLog((l) => l.msg === 'archiver joined the group', 'rejoin', 60_000);
    await sleep(2_000);
    await stopWriting();
    const objects = await platform.assertExactlyOnce(c);
    assert.ok(objects.length >= 10, `${objects.length} objects`);
    const status = await platform.status(c);
    assert.equal(status.linesDelivered, c.next, 'every line counted once');
  });

  it('two archivers share the partitions; one SIGKILLed, the other takes over: exactly once', async () => {
    const c = await platform.createCustomer('arc-two', { flush: LIMITS });
    const group = { LOGSTREAM_ARCHIVER_GROUP_ID: `logstream-archiver-two-${c.id}` };
    const one = platform.startArchiver(group);
    const two = platform.startArchiver(group);
    const stopWriting = platform.produceContinuously(c, 60, 50);
    const owns = (a: AppProcess) =>
      a.lines.some(
        (l) =>
          l.msg === 'archiver joined the group' &&
          Object.values((l.assignment ?? {}) as Record<string, number[]>).some((p) => p.length > 0),
      );
    await eventually(
      () => Promise.resolve(owns(one) && owns(two) ? true : undefined),
      'both own partitions',
      60_000,
    );
    await deliveredSome(platform, c);
    await sleep(1_500);
    one.kill('SIGKILL');
    await one.waitForExit();
    await sleep(8_000);
    await stopWriting();
    await platform.assertExactlyOnce(c);
    assert.equal((await platform.status(c)).linesDelivered, c.next);
  });
});
