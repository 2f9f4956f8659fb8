import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { eventually } from './process';

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0)
    throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return path.join('/usr/lib/postgresql', versions[0], 'bin');
}

/**
 * A real PostgreSQL server of the test's own (initdb in a temp folder), so an outage test can
 * stop and start it without touching the shared server on 5432.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(port: number): Promise<PrivatePostgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'logstream-pg-'));
    const pg = new PrivatePostgres(port, dir);
    if (userInfo().uid === 0) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
    pg.asPostgres('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    await pg.start();
    return pg;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<void> {
    const c = new Client({ connectionString: this.url('postgres') });
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
  }

  async start(): Promise<void> {
    this.asPostgres('pg_ctl', [
      '-D',
      this.dir,
      '-l',
      path.join(this.dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.dir}`,
      'start',
    ]);
    await eventually(async () => {
      const c = new Client({ connectionString: this.url('postgres') });
      await c.connect();
      await c.end();
      return true;
    }, `PostgreSQL on port ${this.port}`);
  }

  /** `immediate` drops every connection at once, as a crash or a network cut would. */
  stop(mode: 'fast' | 'immediate' = 'immediate'): void {
    this.asPostgres('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private asPostgres(tool: string, args: string[]): void {
    const bin = path.join(pgBin(), tool);
    const [cmd, argv] =
      userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    execFileSync(cmd, argv, { stdio: 'pipe', cwd: '/' });
  }
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
