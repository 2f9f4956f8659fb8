import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from '@logstream/observability';

export interface LeaderLockOptions {
  /**
   * The advisory lock key. Unset: the random key the database holds in `provisioner_lock`
   * (made by its migration), so the key is not in the source and only roles that may read
   * that table can contend for leadership.
   */
  lockKey?: number;
  /** Between attempts to take the lock while another instance holds it. */
  pollMs: number;
  /** How often the holder proves it still holds the lock (a query on its lock session). */
  checkIntervalMs: number;
  /** A check that takes longer than this counts as lost: the holder fences itself. */
  checkTimeoutMs: number;
  /** TCP keepalive on the lock session, so a dead peer is noticed by the kernel too. */
  keepAliveMs: number;
}

/**
 * Leadership among provisioners: a Postgres session-level advisory lock. The holder keeps one
 * dedicated connection open, with TCP keepalive, and checks every `checkIntervalMs` that its
 * session still holds the lock, within `checkTimeoutMs`. A failed, slow or negative check, or
 * the connection ending, fences the holder: the lost handler runs (the provisioner stops all
 * work at once) and the session is torn down, so Postgres releases the lock for a standby.
 * Two instances never work at once for longer than one check interval plus its timeout.
 */
export class LeaderLock {
  private client: Client | undefined;
  private lostHandler: ((reason: string) => void) | undefined;
  private released = false;
  private checkTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly options: LeaderLockOptions,
    private readonly log: Logger,
  ) {}

  /** Called once if leadership is lost while held (the connection broke or a check failed). */
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
        keepAlive: true,
        keepAliveInitialDelayMillis: this.options.keepAliveMs,
        connectionTimeoutMillis: this.options.checkTimeoutMs,
      });
      try {
        client.on('error', () => undefined); // surfaced through 'end' below
        await client.connect();
        const key = this.options.lockKey ?? (await this.storedKey(client));
        const rows = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1::bigint) AS locked',
          [key],
        );
        if (rows.rows[0]?.locked) {
          this.hold(client, key);
          this.log.log('info', 'leadership acquired');
          return true;
        }
        await client.end();
        if (!waitingLogged) {
          this.log.log('info', 'another provisioner holds the lock; standing by');
          waitingLogged = true;
        }
      } catch (err) {
        destroy(client);
        this.log.log('warn', 'cannot reach the database for the leader lock', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      await sleep(this.options.pollMs);
    }
    return false;
  }

  async release(): Promise<void> {
    this.released = true;
    if (this.checkTimer) clearInterval(this.checkTimer);
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  private async storedKey(client: Client): Promise<string> {
    const res = await client.query<{ lock_key: string }>(
      'SELECT lock_key::text AS lock_key FROM provisioner_lock',
    );
    const key = res.rows[0]?.lock_key;
    if (key === undefined) {
      throw new Error('provisioner_lock holds no key (run the migrations: npm run migration:run)');
    }
    return key;
  }

  private hold(client: Client, key: number | string): void {
    this.client = client;
    client.on('end', () =>
      this.fence(client, 'the leader lock connection to the database was lost'),
    );
    let checking = false;
    this.checkTimer = setInterval(() => {
      if (checking) return;
      checking = true;
      void this.check(client, key)
        .then((problem) => {
          if (problem !== undefined) this.fence(client, problem);
        })
        .finally(() => (checking = false));
    }, this.options.checkIntervalMs);
    this.checkTimer.unref();
  }

  /** Why the lock is no longer certainly held, or undefined when it is. */
  private async check(client: Client, key: number | string): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`the leader lock check took longer than ${this.options.checkTimeoutMs} ms`),
        this.options.checkTimeoutMs,
      );
    });
    const query = client
      .query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND pid = pg_backend_pid()
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint AND objsubid = 1) AS held`,
        [key],
      )
      .then((res) => (res.rows[0]?.held ? undefined : 'the leader lock is no longer held'))
      .catch(
        (err: unknown) =>
          `the leader lock check failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private fence(client: Client, reason: string): void {
    if (this.released || this.client !== client) return;
    this.client = undefined;
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.log.log('error', 'leadership lost: fencing (all work stops)', { reason });
    // The socket may hang (a partition): tear it down rather than wait for a goodbye.
    destroy(client);
    this.lostHandler?.(reason);
  }
}

/** Closes a pg client's socket at once, whatever state the connection is in. */
function destroy(client: Client): void {
  const connection = (client as unknown as { connection?: { stream?: { destroy(): void } } })
    .connection;
  connection?.stream?.destroy();
  void client.end().catch(() => undefined);
}
