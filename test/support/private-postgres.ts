import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import { run, type RunResult } from './process';

async function postgresBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = (await readdir(root).catch(() => [] as string[]))
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return path.join(root, versions[0], 'bin');
}

/**
 * A PostgreSQL cluster of a test's own, in a temp dir, for tests that stop the database. Never
 * the shared server: that one stays up for everyone.
 */
export class PrivatePostgres {
  private dir = '';
  private bin = '';
  private running = false;

  constructor(readonly port: number) {}

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** The server refuses to run as root, so as root every server command runs as `postgres`. */
  private async asPostgres(
    command: string,
    args: string[],
    timeoutMs = 60_000,
  ): Promise<RunResult> {
    const full = path.join(this.bin, command);
    const res =
      userInfo().uid === 0
        ? await run('runuser', ['-u', 'postgres', '--', full, ...args], { timeoutMs })
        : await run(full, args, { timeoutMs });
    if (res.code !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} failed (${res.code}): ${res.stderr}${res.stdout}`,
      );
    }
    return res;
  }

  async init(): Promise<void> {
    this.bin = await postgresBinDir();
    const busy = await run(path.join(this.bin, 'pg_isready'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
    ]);
    if (busy.code === 0) throw new Error(`port ${this.port} already has a PostgreSQL server`);
    this.dir = await mkdtemp(path.join(tmpdir(), 'logstream-pg-'));
    if (userInfo().uid === 0) await run('chown', ['postgres:', this.dir]);
    await this.asPostgres('initdb', [
      '-D',
      this.dir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
  }

  async start(): Promise<void> {
    await this.asPostgres('pg_ctl', [
      '-D',
      this.dir,
      '-l',
      path.join(this.dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.asPostgres('pg_ctl', ['-D', this.dir, '-m', 'fast', '-w', '-t', '60', 'stop']);
    this.running = false;
  }

  async createDatabase(name: string): Promise<void> {
    await this.asPostgres('createdb', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-U',
      'postgres',
      name,
    ]);
  }

  /** Stops the server if it runs and removes its files. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } finally {
      if (this.dir !== '') await rm(this.dir, { recursive: true, force: true });
    }
  }
}
