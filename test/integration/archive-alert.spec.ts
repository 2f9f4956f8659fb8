import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadAlertsConfig } from '@logstream/config';
import {
  AlertEngine,
  HealthCollector,
  HealthMetrics,
  HealthRepository,
  KafkaHealthReader,
  verifyWebhook,
  WebhookDelivery,
} from '@logstream/health';
import { createLogger } from '@logstream/observability';
import { type ArchivedCustomer, ArchivePlatform } from '../support/archive-platform';
import { ADMIN } from '../support/control-api';
import { eventually } from '../support/process';
import { TEST_SECRET_KEYS } from '../support/secret-keys';
import {
  type ReceivedWebhook,
  runHealthLoop,
  webhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver';

/** The receiver runs on loopback, which only development mode lets webhooks reach. */
const LOOPBACK_WEBHOOKS = {
  LOGSTREAM_ENV: 'development',
  LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK: 'true',
};
const THRESHOLD_S = 3;
const quiet = createLogger({ app: 'test', level: 'error' });

interface AlertBody {
  event: 'firing' | 'resolved';
  customerId: string;
  alert: string;
  rule: { type: string; seconds?: number };
  subject: string;
  seq: number;
  at: string;
  details: {
    state: string | null;
    summary?: string;
    lastError?: string | null;
    behindSeconds?: number;
    failingSince?: string | null;
  };
}

/**
 * The "archive failing" alert end to end: the real archiver reports its state into the
 * database, the real collector, engine and webhook delivery (in this process, as health-lag
 * runs them) read it, and a signed message reaches a receiver, once per change.
 */
describe('the archive-failing alert (real broker, database, s3proxy, archiver, webhook receiver)', () => {
  let platform: ArchivePlatform;
  let c: ArchivedCustomer;
  let hook: WebhookReceiver;
  let secret = '';
  let reader: KafkaHealthReader;
  let stopWriting: (() => Promise<void>) | undefined;
  let health: { stop(): Promise<void> } | undefined;

  function delivered(): Array<{ raw: ReceivedWebhook; body: AlertBody }> {
    return hook.got
      .filter((r) => r.status === 200)
      .map((raw) => ({ raw, body: JSON.parse(raw.body) as AlertBody }));
  }

  async function waitForEvents(n: number, what: string): Promise<void> {
    await eventually(
      () => {
        if (delivered().length >= n) return Promise.resolve(true);
        throw new Error(`${delivered().length} message(s) so far`);
      },
      what,
      60_000,
    );
    // Evaluations go on meanwhile: a second message for the same change would arrive here.
    await sleep(3_000);
  }

  before(async () => {
    platform = await ArchivePlatform.start('archive_alert', LOOPBACK_WEBHOOKS);
    c = await platform.createCustomer('arc-alert', {
      flush: { intervalSeconds: 30, maxLines: 150, maxBytes: 1_000_000 },
    });
    hook = await webhookReceiver();
    reader = new KafkaHealthReader(platform.kafka);
    await reader.connect();
    const collector = new HealthCollector(
      reader,
      new HealthRepository(platform.scratch.db),
      new HealthMetrics(),
      quiet,
      { maxGroupsPerCustomer: 5, retentionRiskFraction: 0.75, retentionRefreshEvery: 20 },
    );
    const engine = new AlertEngine(platform.scratch.db, quiet);
    collector.onCollection(async (snapshots, at) => {
      await engine.evaluate(snapshots, at);
    });
    const delivery = new WebhookDelivery(platform.scratch.db, quiet, {
      secretKey: loadAlertsConfig({ ...TEST_SECRET_KEYS, ...LOOPBACK_WEBHOOKS }).secretKey,
      attempts: 10,
      backoffMs: 100,
      timeoutMs: 2000,
      policy: { allowLoopback: true, allowPrivate: false },
    });
    health = runHealthLoop(collector, delivery);
  });

  after(async () => {
    await health?.stop();
    await stopWriting?.().catch(() => undefined);
    platform?.s3proxy('start');
    await reader?.close();
    hook?.server.close();
    await platform?.close();
  });

  it('refuses bad archive-failing rules with a clear 400', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'archive-failing', seconds: 0 }, /takes "seconds", a whole number from 1 to 604800/],
      [{ type: 'archive-failing', seconds: '60' }, /takes "seconds"/],
      [{ type: 'archive-failing', minutes: 5 }, /unknown fields: minutes/],
    ];
    for (const [rule, message] of cases) {
      const res = await platform.api
        .http()
        .post(`/v1/customers/${c.id}/alerts`)
        .set(ADMIN)
        .send({ url: hook.url, rules: [rule] });
      assert.equal(res.status, 400, JSON.stringify(rule));
      assert.match((res.body as { message: string }).message, message);
    }
    const created = await platform.api
      .http()
      .post(`/v1/customers/${c.id}/alerts`)
      .set(ADMIN)
      .send({ url: hook.url, rules: [{ type: 'archive-failing', seconds: THRESHOLD_S }] });
    assert.equal(created.status, 201, created.text);
    secret = (created.body as { secret: string }).secret;
  });

  it('s3proxy stopped: exactly one signed firing, after the threshold, with the state and the error in words', async () => {
    platform.startArchiver();
    stopWriting = platform.produceContinuously(c);
    await eventually(
      async () => ((await platform.status(c)).uploadsOk >= 3 ? true : undefined),
      'first uploads',
      60_000,
    );
    await sleep(1_500);
    assert.equal(delivered().length, 0, 'nothing while the archive delivers');
    platform.s3proxy('stop');
    await waitForEvents(1, 'the firing message');
    const messages = delivered();
    assert.equal(messages.length, 1, messages.map((m) => m.raw.body).join('\n'));
    const [{ raw, body }] = messages;
    assert.ok(
      verifyWebhook(
        secret,
        raw.headers as { signature: string; timestamp: string },
        raw.body,
        Math.floor(Date.now() / 1000),
      ),
      'signed with the subscription secret',
    );
    assert.equal(body.event, 'firing');
    assert.equal(body.customerId, c.id);
    assert.equal(body.rule.type, 'archive-failing');
    assert.equal(body.subject, 'archive');
    assert.equal(body.seq, 1);
    assert.equal(body.details.state, 'failing');
    assert.match(
      body.details.lastError ?? '',
      /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    assert.match(body.details.summary ?? '', /^failing: cannot reach/);
    assert.equal(typeof body.details.behindSeconds, 'number');
    const failingFor = Date.parse(body.at) - Date.parse(body.details.failingSince ?? '');
    assert.ok(failingFor >= THRESHOLD_S * 1000, `fired after ${failingFor} ms of failing`);
  });

  it('s3proxy started again: exactly one resolved, and every line still archived once', async () => {
    platform.s3proxy('start');
    await waitForEvents(2, 'the resolved message');
    const messages = delivered();
    assert.deepEqual(
      messages.map((m) => [m.body.event, m.body.seq]),
      [
        ['firing', 1],
        ['resolved', 2],
      ],
    );
    const resolved = messages[1];
    assert.ok(
      verifyWebhook(
        secret,
        resolved.raw.headers as { signature: string; timestamp: string },
        resolved.raw.body,
        Math.floor(Date.now() / 1000),
      ),
    );
    assert.ok(
      ['active', 'catching_up'].includes(resolved.body.details.state ?? ''),
      `resolved in state ${resolved.body.details.state}`,
    );
    assert.equal(resolved.body.details.failingSince, null);
    await stopWriting?.();
    stopWriting = undefined;
    await platform.assertExactlyOnce(c);
  });

  it('failing again, then the archive deleted: one more firing and one resolved', async () => {
    platform.s3proxy('stop');
    await platform.produce(c, 300);
    await waitForEvents(3, 'the second firing');
    await platform.api.http().delete(`/v1/customers/${c.id}/archive`).set(ADMIN).expect(204);
    await waitForEvents(4, 'resolved by the deletion');
    platform.s3proxy('start');
    const messages = delivered();
    assert.deepEqual(
      messages.map((m) => [m.body.event, m.body.seq]),
      [
        ['firing', 1],
        ['resolved', 2],
        ['firing', 3],
        ['resolved', 4],
      ],
    );
    assert.equal(messages[3].body.details.state, null);
  });
});
