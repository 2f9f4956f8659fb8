import assert from 'node:assert/strict';
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
});
