import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from '@logstream/observability';

/**
 * Leadership among provisioners: a Postgres session-level advisory lock. The holder keeps one
 * dedicated connection open; when it dies (crash, kill, network), Postgres ends the session and
 * releases the lock, and a waiting instance takes over. Two instances never work at once.
 */
export class LeaderLock {
  private client: Client | undefined;
  private lostHandler: ((reason: string) => void) | undefined;
  private released = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly lockKey: number,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  /** Called once if leadership is lost while held (the connection broke). */
  onLost(handler: (reason: string) => void): void {
    this.lostHandler = handler;
  }

  /** Waits until this instance holds the lock, or until `shouldStop()` says to give up. */
  async acquire(shouldStop: () => boolean): Promise<boolean> {
    let waitingLogged = false;
    while (!shouldStop()) {
      const client = new Client({
        connectionString: this.databaseUrl,
        application_name: 'logstream-provisioner-lock',
      });
      try {
        client.on('error', () => undefined); // surfaced through 'end' below
        await client.connect();
        const rows = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked',
          [this.lockKey],
        );
        if (rows.rows[0]?.locked) {
          this.hold(client);
          this.log.log('info', 'leadership acquired');
          return true;
        }
        await client.end();
        if (!waitingLogged) {
          this.log.log('info', 'another provisioner holds the lock; standing by');
          waitingLogged = true;
        }
      } catch (err) {
        await client.end().catch(() => undefined);
        this.log.log('warn', 'cannot reach the database for the leader lock', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      await sleep(this.pollMs);
    }
    return false;
  }

  async release(): Promise<void> {
    this.released = true;
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  private hold(client: Client): void {
    this.client = client;
    client.on('end', () => {
      if (this.released || this.client !== client) return;
      this.client = undefined;
      this.log.log('error', 'leader lock connection lost');
      this.lostHandler?.('the leader lock connection to the database was lost');
    });
  }
}
