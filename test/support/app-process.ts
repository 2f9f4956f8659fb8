import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { processEnv, REPO_ROOT } from '@logstream/config';
import { TEST_SECRET_KEYS } from './secret-keys';

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/**
 * One of the platform's apps running as a real process (the built `dist/apps/<name>` entry),
 * with its JSON log lines collected so tests can wait for what it says.
 */
export class AppProcess {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];

  constructor(
    app: string,
    env: Record<string, string>,
    args: string[] = [],
    options: { stdin?: 'pipe' | 'ignore' } = {},
  ) {
    const entry = path.join(REPO_ROOT, 'dist/apps', app, 'src/main.js');
    this.child = spawn(process.execPath, ['--enable-source-maps', entry, ...args], {
      env: { ...processEnv(), ...TEST_SECRET_KEYS, ...env },
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        this.raw.push(line);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          // not a JSON log line (e.g. a stack trace): kept in `raw` only
        }
        for (const w of this.waiters.splice(0)) w();
      }
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    void this.exited.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** The app's stdin, when started with `stdin: 'pipe'`. */
  get stdin(): NodeJS.WritableStream {
    if (!this.child.stdin) throw new Error('started without a stdin pipe');
    return this.child.stdin;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for a log line matching `predicate`; fails with the log tail if the app exits first. */
  async waitForLog(
    predicate: (l: LogLine) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (!this.running)
        throw new Error(`app exited before ${what}:\n${this.raw.slice(-20).join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}:\n${this.raw.slice(-20).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitForExit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return Promise.race([
      this.exited,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`app did not exit in ${timeoutMs} ms`)),
          timeoutMs,
        ).unref(),
      ),
    ]);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM and wait; SIGKILL if it does not stop in time. */
  async stop(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return this.exited;
    this.kill('SIGTERM');
    try {
      return await this.waitForExit(timeoutMs);
    } catch {
      this.kill('SIGKILL');
      return this.exited;
    }
  }
}
