import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { errorMessage, type Logger } from '@logstream/observability';
import type { AddressPolicy } from './address-policy.rules';
import { decryptSecret } from './secret-box.rules';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.rules';
import {
  httpTransport,
  ownAddresses,
  resolveAllowed,
  WebhookRefusedError,
  type WebhookTransport,
} from './webhook-sender.service';

export interface WebhookDeliveryOptions {
  secretKey: Buffer;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  policy: Omit<AddressPolicy, 'ownAddresses'>;
  transport?: WebhookTransport;
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

interface DueRow {
  id: string;
  subscription_id: string;
  body: string;
  attempts: number;
  url: string;
  secret_ciphertext: string;
  due: boolean;
}

/**
 * Sends queued alert messages: per subscription in the order they were queued (a "resolved"
 * never overtakes its "firing"), signed, retried with doubling backoff; each row records its
 * last status. A 2xx marks it delivered and it is never sent again.
 */
export class WebhookDelivery {
  private readonly transport: WebhookTransport;

  constructor(
    private readonly db: DataSource,
    private readonly log: Logger,
    private readonly options: WebhookDeliveryOptions,
  ) {
    this.transport = options.transport ?? httpTransport;
  }

  async run(signal: AbortSignal, intervalMs: number): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.deliverDue();
      } catch (err) {
        this.log.warn('webhook delivery round failed', { error: errorMessage(err) });
      }
      await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** One round; answers how many messages were delivered. */
  async deliverDue(): Promise<number> {
    const rows: DueRow[] = await this.db.query(
      `SELECT DISTINCT ON (d.subscription_id) d.id, d.subscription_id, d.body, d.attempts,
              s.url, s.secret_ciphertext, d.next_attempt_at <= now() AS due
       FROM alert_deliveries d JOIN alert_subscriptions s ON s.id = d.subscription_id
       WHERE d.status = 'pending'
       ORDER BY d.subscription_id, d.created_at, d.seq`,
    );
    let delivered = 0;
    await Promise.all(
      rows.map(async (first) => {
        let row: DueRow | undefined = first;
        while (row?.due) {
          if (!(await this.attempt(row))) return;
          delivered++;
          row = await this.nextOf(row.subscription_id);
        }
      }),
    );
    return delivered;
  }

  private async nextOf(subscriptionId: string): Promise<DueRow | undefined> {
    const rows: DueRow[] = await this.db.query(
      `SELECT d.id, d.subscription_id, d.body, d.attempts, s.url, s.secret_ciphertext,
              d.next_attempt_at <= now() AS due
       FROM alert_deliveries d JOIN alert_subscriptions s ON s.id = d.subscription_id
       WHERE d.status = 'pending' AND d.subscription_id = $1
       ORDER BY d.created_at, d.seq LIMIT 1`,
      [subscriptionId],
    );
    return rows[0];
  }

  private async attempt(row: DueRow): Promise<boolean> {
    const attempts = row.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const url = new URL(row.url);
      const address = await resolveAllowed(
        url,
        { ...this.options.policy, ownAddresses: ownAddresses() },
        this.options.resolve,
      );
      const timestamp = Math.floor(Date.now() / 1000);
      const secret = decryptSecret(this.options.secretKey, row.secret_ciphertext);
      const res = await this.transport(
        url,
        {
          'content-type': 'application/json',
          'user-agent': 'logstream-alerts/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, row.body),
        },
        row.body,
        this.options.timeoutMs,
        address,
      );
      status = res.status;
      if (res.status >= 200 && res.status < 300) {
        await this.db.query(
          `UPDATE alert_deliveries SET status = 'delivered', attempts = $2, last_status_code = $3,
             last_error = NULL, delivered_at = now() WHERE id = $1`,
          [row.id, attempts, status],
        );
        return true;
      }
      error = `the receiver answered HTTP ${res.status}`;
    } catch (err) {
      error =
        err instanceof WebhookRefusedError ? err.message : `not delivered: ${errorMessage(err)}`;
    }
    const final = attempts >= this.options.attempts;
    const backoff = Math.min(this.options.backoffMs * 2 ** (attempts - 1), 3_600_000);
    await this.db.query(
      `UPDATE alert_deliveries SET status = $2, attempts = $3, last_status_code = $4, last_error = $5,
         next_attempt_at = now() + make_interval(secs => $6) WHERE id = $1`,
      [row.id, final ? 'failed' : 'pending', attempts, status, error, backoff / 1000],
    );
    this.log.warn('webhook not delivered', { delivery: row.id, attempts, final, error });
    return false;
  }
}
