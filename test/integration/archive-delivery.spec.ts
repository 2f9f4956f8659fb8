import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ADMIN } from '../support/control-api';
import { ArchivePlatform } from '../support/archive-platform';
import { eventually } from '../support/process';

const LIMITS = { intervalSeconds: 30, maxLines: 200, maxBytes: 1_000_000 };

describe('archive delivery (real broker, database, s3proxy, archiver process)', () => {
  let platform: ArchivePlatform;

  before(async () => {
    platform = await ArchivePlatform.start('archive_delivery');
  });
  after(async () => {
    await platform?.close();
  });

  it('delivers every line exactly once, in offset order, byte for byte; gzip and zstd; nothing of another customer', async () => {
    const a = await platform.createCustomer('arc-gz', { flush: LIMITS, pathPrefix: 'cdn/{DATE}' });
    const b = await platform.createCustomer('arc-zs', {
      flush: LIMITS,
      compression: 'zstd',
      hivePartitioning: true,
    });
    await platform.produce(a, 1800);
    await platform.produce(b, 1200);
    const archiver = platform.startArchiver();
    await archiver.waitForLog((l) => l.msg === 'archiver joined the group', 'group join');
    await platform.produce(a, 1200);
    await platform.produce(b, 600);

    const objectsA = await platform.assertExactlyOnce(a);
    const objectsB = await platform.assertExactlyOnce(b);
    assert.ok(
      objectsA.every((o) =>
        /^cdn\/\d{8}\/\d{8}T\d{6}Z_\d{8}T\d{6}Z_p\d-o\d+\.log\.gz$/.test(o.key),
      ),
    );
    assert.ok(objectsB.every((o) => /^logs\/dt=\d{4}-\d{2}-\d{2}\/.*\.log\.zst$/.test(o.key)));
    for (const [mine, other] of [
      [objectsA, b],
      [objectsB, a],
    ] as const) {
      for (const o of mine) {
        assert.ok(
          !o.lines.some((l) => l.toString().startsWith(other.id)),
          `${o.key} holds ${other.id}`,
        );
      }
    }
    const status = await eventually(async () => {
      const s = await platform.status(a);
      return s.linesDelivered === 3000 ? s : undefined;
    }, 'lines delivered counted');
    assert.equal(status.state, 'active');
    assert.equal(status.linesLost, 0);
    assert.ok(status.uploadsOk >= objectsA.length);
    assert.ok(status.bytesDelivered > 0);
    assert.ok(
      !archiver.raw.some((l) => l.includes(platform.s3Config.secretAccessKey)),
      'the secret never appears in a log line',
    );
  });

  it('wrong credentials: failed with a clear message; fixing them resumes where it stopped', async () => {
    const c = await platform.createCustomer('arc-cred', {
      flush: LIMITS,
      secretAccessKey: 'not-the-secret',
    });
    await platform.produce(c, 600);
    platform.startArchiver({ LOGSTREAM_ARCHIVER_GROUP_ID: `logstream-archiver-cred-${c.id}` });
    const failed = await eventually(
      async () => {
        const s = await platform.status(c);
        return s.state === 'failed' ? s : undefined;
      },
      'state failed',
      60_000,
    );
    assert.match(
      failed.lastError ?? '',
      /refused the access key: check accessKeyId and secretAccessKey/,
    );
    assert.match(failed.summary, /^failed: .*fix the settings/);
    assert.equal(failed.linesDelivered, 0);
    await platform.produce(c, 300);
    const fixed = await platform.api.http().put(`/v1/customers/${c.id}/archive`).set(ADMIN).send({
      endpoint: platform.s3Config.endpoint,
      bucket: c.bucket,
      accessKeyId: platform.s3Config.accessKeyId,
      secretAccessKey: platform.s3Config.secretAccessKey,
      flush: LIMITS,
    });
    assert.equal(fixed.status, 200, fixed.text);
    assert.equal(
      (fixed.body as { verification: { verified: boolean } }).verification.verified,
      true,
      'new credentials for the same destination need no new proof',
    );
    assert.ok(
      !fixed.text.includes(platform.s3Config.secretAccessKey),
      'the secret is never answered',
    );
    await platform.assertExactlyOnce(c);
    await eventually(
      async () => ((await platform.status(c)).state === 'active' ? true : undefined),
      'state active again',
      30_000,
    );
  });

  it('disabling streaming stops the archive (state stopped); deleting the settings stops it and keeps what was delivered', async () => {
    const c = await platform.createCustomer('arc-stop', { flush: LIMITS });
    await platform.produce(c, 600);
    platform.startArchiver({ LOGSTREAM_ARCHIVER_GROUP_ID: `logstream-archiver-stop-${c.id}` });
    const delivered = await platform.assertExactlyOnce(c);

    await platform.scratch.db.query(
      `UPDATE customers SET streaming_enabled = false, streaming_state = 'disabled' WHERE id = $1`,
      [c.id],
    );
    const stopped = await platform.status(c);
    assert.equal(stopped.state, 'stopped');
    assert.match(stopped.summary, /streaming is not active/);
    await sleep(2_000);
    await platform.produce(c, 600);
    await sleep(4_000);
    assert.equal(
      (await platform.objects(c)).length,
      delivered.length,
      'nothing delivered while stopped',
    );

    await platform.scratch.db.query(
      `UPDATE customers SET streaming_enabled = true, streaming_state = 'active' WHERE id = $1`,
      [c.id],
    );
    const resumed = await platform.assertExactlyOnce(c);
    const del = await platform.api.http().delete(`/v1/customers/${c.id}/archive`).set(ADMIN);
    assert.equal(del.status, 204);
    const gone = await platform.api.http().get(`/v1/customers/${c.id}/archive`).set(ADMIN);
    assert.equal(gone.status, 404);
    await sleep(2_000);
    const before = c.next;
    await platform.produce(c, 600);
    await sleep(4_000);
    const after = await platform.objects(c);
    assert.equal(after.length, resumed.length, 'the delivered objects stay, no new ones come');
    assert.equal(
      after.reduce((n, o) => n + o.lines.length, 0),
      before,
    );
  });
});
