import { Client } from 'pg';
import { RECONCILE_CHANNEL } from '@logstream/persistence';

/** Listens on the provisioner's wake-up channel, as the provisioner does. */
export class ReconcileListener {
  readonly payloads: string[] = [];
  private readonly client: Client;

  constructor(url: string) {
    this.client = new Client({ connectionString: url });
    this.client.on('notification', (n) => {
      if (n.channel === RECONCILE_CHANNEL) this.payloads.push(n.payload ?? '');
    });
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.client.query(`LISTEN ${RECONCILE_CHANNEL}`);
  }

  /** The notifications for one customer received so far. */
  for(customerId: string): number {
    return this.payloads.filter((p) => p === customerId).length;
  }

  async stop(): Promise<void> {
    await this.client.end();
  }
}
