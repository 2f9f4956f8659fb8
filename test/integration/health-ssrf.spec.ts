import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  encryptSecret,
  newSigningSecret,
  WebhookDelivery,
  type WebhookTransport,
} from '@logstream/health';
import { createLogger } from '@logstream/observability';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { randomCustomerId } from '../support/ids';

const KEY = Buffer.alloc(32, 9);

/**
 * The SSRF guard refuses before any socket is opened: the transport (the only code that sends)
 * must never be called. Nothing here ever sends to a private address, even if the guard broke.
 */
describe('webhook delivery: the SSRF guard', () => {
  let scratch: ScratchDatabase;
  const id = randomCustomerId('ssrf');

  before(async () => {
    scratch = await createScratchDatabase('health_ssrf');
    await scratch.db.query(`INSERT INTO customers (id, name) VALUES ($1, $1)`, [id]);
  });
  after(async () => {
    await scratch?.drop();
  });

  async function queue(url: string): Promise<string> {
    const subs: Array<{ id: string }> = await scratch.db.query(
      `INSERT INTO alert_subscriptions (customer_id, url, rules, secret_ciphertext)
       VALUES ($1, $2, '[]', $3) RETURNING id`,
      [id, url, encryptSecret(KEY, newSigningSecret())],
    );
    const rows: Array<{ id: string }> = await scratch.db.query(
      `INSERT INTO alert_deliveries (subscription_id, alert_key, seq, event, body)
       VALUES ($1, 'k', 1, 'firing', '{}') RETURNING id`,
      [subs[0].id],
    );
    return rows[0].id;
  }

  it('refuses a host that resolves to a private address (even beside a public one), sending nothing', async () => {
    const sent: string[] = [];
    const spy: WebhookTransport = (url) => {
      sent.push(url.toString());
      return Promise.resolve({ status: 200 });
    };
    const cases: Array<[string, Array<{ address: string; family: number }>, RegExp]> = [
      [
        'http://hooks.internal.test/a',
        [
          { address: '93.184.216.34', family: 4 },
          { address: '10.1.2.3', family: 4 },
        ],
        /private range/,
      ],
      ['http://meta.internal.test/', [{ address: '169.254.169.254', family: 4 }], /link-local/],
      [
        'http://mapped.internal.test/',
        [{ address: '::ffff:192.168.0.1', family: 6 }],
        /private range/,
      ],
      ['http://cgnat.internal.test/', [{ address: '100.64.1.1', family: 4 }], /reserved/],
      ['http://[::ffff:10.0.0.1]/', [], /private range/],
      ['http://127.0.0.1:1/', [], /loopback/],
    ];
    for (const [url, addresses, why] of cases) {
      const delivery = await queue(url);
      const sender = new WebhookDelivery(
        scratch.db,
        createLogger({ app: 'test', level: 'error' }),
        {
          secretKey: KEY,
          attempts: 3,
          backoffMs: 10,
          timeoutMs: 1000,
          policy: { allowLoopback: false, allowPrivate: false },
          transport: spy,
          resolve: () => Promise.resolve(addresses),
        },
      );
      await sender.deliverDue();
      const rows: Array<{ status: string; attempts: number; last_error: string }> =
        await scratch.db.query(
          `SELECT status, attempts, last_error FROM alert_deliveries WHERE id = $1`,
          [delivery],
        );
      assert.equal(rows[0].status, 'pending', url);
      assert.equal(rows[0].attempts, 1);
      assert.match(rows[0].last_error, why, url);
      await scratch.db.query(`DELETE FROM alert_subscriptions`);
    }
    assert.deepEqual(sent, [], 'nothing was sent');
  });
});
