import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { RECONCILE_CHANNEL } from '@logstream/persistence';
import type { Logger } from '@logstream/observability';

/**
 * LISTENs for the control API's notifications (payload: customer id). When the connection
 * breaks it reconnects with backoff and reports `onResync`, since notifications sent while it
 * was away are lost.
 */
export class ReconcileListener {
  private client: Client | undefined;
  private stopped = false;
  private connectedBefore = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    private readonly onNotify: (customerId: string) => void,
    private readonly onResync: () => void,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    for (let delay = 250; !this.stopped; delay = Math.min(delay * 2, 5_000)) {
      const client = new Client({
        connectionString: this.databaseUrl,
        application_name: 'logstream-provisioner-listen',
      });
      client.on('error', () => undefined); // followed by 'end', handled below
      try {
        await client.connect();
        await client.query(`LISTEN ${RECONCILE_CHANNEL}`);
        client.on('notification', (msg) => {
          if (msg.payload) this.onNotify(msg.payload);
        });
        client.on('end', () => {
          if (this.stopped || this.client !== client) return;
          this.log.log('warn', 'notification connection lost; reconnecting');
          void this.connect();
        });
        this.client = client;
        if (this.connectedBefore) this.onResync();
        this.connectedBefore = true;
        return;
      } catch (err) {
        await client.end().catch(() => undefined);
        this.log.log('warn', 'cannot listen for notifications yet', {
          error: err instanceof Error ? err.message : String(err),
          retryInMs: delay,
        });
        await sleep(delay);
      }
    }
  }
}
