import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archiveView } from '@logstream/archive';
import type { CustomerArchiveEntity } from '@logstream/persistence';
import { formatBytes, formatCount } from '../format.rules';
import { ARCHIVE_POLL_FAST_S, ARCHIVE_POLL_SLOW_S, archiveModel } from '../panel-models.factory';
import { archiveBlock } from './archive.view';

const NOW = new Date('2026-12-02T06:00:00Z');
const HOSTILE = '<img src=x onerror=alert(1)>"\'';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function row(over: Partial<CustomerArchiveEntity> = {}): CustomerArchiveEntity {
  return {
    customerId: 'acme',
    endpoint: 'https://s3.eu-west-1.amazonaws.com',
    bucket: 'acme-cdn-logs',
    region: 'eu-west-1',
    pathPrefix: 'cdn/{DATE}',
    hivePartitioning: false,
    accessKeyId: 'AKIAEXAMPLEKEYID',
    secretCiphertext: `sealed:${SECRET}`,
    compression: 'gzip',
    flushIntervalS: 60,
    flushBytes: 16_777_216,
    flushLines: 1_000_000,
    settingsVersion: 1,
    challengeCiphertext: 'sealed-token',
    challengeKey: null,
    challengeWrittenAt: null,
    verifiedAt: NOW,
    verifiedBy: 'challenge',
    state: 'active',
    failingSince: null,
    lastError: null,
    lastErrorAt: null,
    lastUploadAt: new Date('2026-12-02T05:59:00Z'),
    lastObjectKey: 'cdn/20261202/20261202T055800Z_20261202T055900Z_p1-o51200.log.gz',
    uploadsOk: 412,
    uploadsFailed: 57,
    linesDelivered: 1_280_000,
    bytesDelivered: 40_211_000,
    linesLost: 0,
    behindMs: 0,
    statusUpdatedAt: NOW,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

function render(over: Partial<CustomerArchiveEntity> = {}, streaming = true): string {
  return archiveBlock(archiveModel('acme', archiveView(row(over), streaming))).value;
}

describe('archive block', () => {
  it('points to the API when no archive is configured, and keeps checking', () => {
    const out = archiveBlock(archiveModel('acme', null)).value;
    assert.match(out, /data-state="none"/);
    assert.match(out, /Not configured/);
    assert.match(out, /<code>PUT \/v1\/customers\/acme\/archive<\/code>/);
    assert.match(out, /<a href="\/docs">API documentation<\/a>/);
    assert.match(out, new RegExp(`hx-trigger="every ${ARCHIVE_POLL_SLOW_S}s"`));
    assert.match(out, /hx-get="\/panel\/customers\/acme\/archive"/);
  });

  it('shows the destination, last object and counters of a delivering archive, never its keys', () => {
    const out = render();
    assert.match(out, /data-state="active"/);
    assert.match(out, /class="badge archive-active" id="archive-state">delivering</);
    assert.match(out, /https:\/\/s3\.eu-west-1\.amazonaws\.com/);
    assert.match(out, /<code>acme-cdn-logs<\/code>/);
    assert.match(out, /<code>cdn\/\{DATE\}<\/code>/);
    assert.match(out, /2026-12-02 05:59 UTC/);
    assert.match(out, /_p1-o51200\.log\.gz/);
    assert.match(out, /412 stored, 57 failed attempts/);
    assert.match(out, /1,280,000 lines, 40\.2 MB/);
    assert.match(out, /id="archive-lost">0</);
    assert.match(out, /up to date/);
    assert.match(out, /proved with the challenge, 2026-12-02 06:00 UTC/);
    assert.ok(!out.includes(SECRET) && !out.includes('sealed'), 'no secret');
    assert.ok(!out.includes('AKIAEXAMPLEKEYID'), 'no access key id');
    assert.match(out, new RegExp(`every ${ARCHIVE_POLL_SLOW_S}s`));
  });

  it('says what failing means, in the status words, and polls faster meanwhile', () => {
    const out = render({
      state: 'failing',
      lastError: 'cannot reach https://s3.example (ECONNREFUSED)',
      behindMs: 12 * 60_000,
      linesLost: 1500,
    });
    assert.match(out, /archive-failing" id="archive-state">failing</);
    assert.match(out, /failing: cannot reach https:\/\/s3\.example \(ECONNREFUSED\); retrying/);
    assert.match(out, /12 minutes behind/);
    assert.match(out, /class="warning"\s*>1,500 \(left Kafka's retention/);
    assert.match(out, new RegExp(`every ${ARCHIVE_POLL_FAST_S}s`));
  });

  it('gives the challenge steps while unverified, and waits for the object before that', () => {
    const waiting = render({ state: 'unverified', verifiedAt: null, verifiedBy: null });
    assert.match(waiting, /data-verified="false"/);
    assert.match(waiting, /writes a challenge object into your bucket first/);
    const steps = render({
      state: 'unverified',
      verifiedAt: null,
      verifiedBy: null,
      challengeKey: 'cdn/logstream-challenge.txt',
    });
    assert.match(steps, /waiting for proof/);
    assert.match(steps, /s3:\/\/acme-cdn-logs\/cdn\/logstream-challenge\.txt/);
    assert.match(steps, /POST \/v1\/customers\/acme\/archive\/verify/);
    assert.match(steps, /<code>\{"token": "…"\}<\/code>/);
    assert.ok(!steps.includes('sealed-token'), 'the token itself is only in the bucket');
    assert.match(steps, new RegExp(`every ${ARCHIVE_POLL_FAST_S}s`));
  });

  it('shows stopped while the customer does not stream, and an admin-trusted bucket', () => {
    const out = render({ verifiedBy: 'admin' }, false);
    assert.match(out, /archive-stopped" id="archive-state">stopped</);
    assert.match(out, /confirmed by Logstream/);
    assert.match(out, /none yet|2026-12-02 05:59 UTC/);
  });

  it('escapes what the store or the customer wrote', () => {
    const out = render({
      state: 'failed',
      lastError: HOSTILE,
      bucket: HOSTILE,
      pathPrefix: HOSTILE,
      lastObjectKey: HOSTILE,
    });
    assert.ok(!out.includes('<img'));
    assert.match(out, /&lt;img src=x onerror=alert\(1\)&gt;&quot;&#39;/);
  });

  it('formats counts and sizes for people', () => {
    assert.equal(formatCount(1_280_000), '1,280,000');
    assert.equal(formatBytes(999), '999 bytes');
    assert.equal(formatBytes(40_211_000), '40.2 MB');
    assert.equal(formatBytes(3_500_000_000_000), '3.5 TB');
  });
});
