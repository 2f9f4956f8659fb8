import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { LineSource, SourceEvent } from './line-source.types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sources that are byte streams: stdin (ends at EOF), a named pipe (reopened whenever its
 * writer goes away) and a command's stdout (restarted with backoff whenever it exits).
 */
export class StreamSource implements LineSource {
  onRestart?: () => void;
  onRotation?: () => void;
  private closeCurrent: () => void = () => undefined;
  private stopped = false;
  private wake: () => void = () => undefined;

  private constructor(
    readonly name: string,
    private readonly open: () => { stream: Readable; close: () => void },
    private readonly reopen: boolean,
    private readonly maxBackoffMs: number,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {}

  static stdin(): StreamSource {
    const stdin = { stream: process.stdin, close: () => process.stdin.destroy() };
    return new StreamSource(
      'stdin',
      () => stdin,
      false,
      0,
      () => undefined,
    );
  }

  static fifo(path: string, log: StreamSource['log']): StreamSource {
    // A FIFO open blocks until a writer appears; fs streams open it on libuv's thread pool.
    const open = () => {
      const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
      return { stream, close: () => stream.destroy() };
    };
    return new StreamSource(`fifo:${path}`, open, true, 1000, log);
  }

  static exec(command: string, maxBackoffMs: number, log: StreamSource['log']): StreamSource {
    return new StreamSource(
      `exec:${command}`,
      () => {
        // Its own process group: stopping it stops the whole command line (the shell does not
        // pass SIGTERM on, and varnishncsa outlived the edge holding its stderr).
        const child = spawn('/bin/sh', ['-c', command], {
          stdio: ['ignore', 'pipe', 'inherit'],
          detached: true,
        });
        child.on('exit', (code, signal) => log('source command exited', { command, code, signal }));
        child.on('error', (err) =>
          log('source command failed to start', { command, error: err.message }),
        );
        return {
          stream: child.stdout,
          close: () => {
            try {
              if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
            } catch {
              child.kill('SIGTERM'); // the group is gone already
            }
            child.stdout.destroy();
          },
        };
      },
      true,
      maxBackoffMs,
      log,
    );
  }

  async *events(): AsyncGenerator<SourceEvent, void, undefined> {
    let backoff = 250;
    let first = true;
    while (!this.stopped) {
      if (!first) {
        this.onRestart?.();
        await Promise.race([sleep(backoff), new Promise<void>((r) => (this.wake = r))]);
        if (this.stopped) return;
      }
      first = false;
      const started = Date.now();
      const { stream, close } = this.open();
      this.closeCurrent = close;
      try {
        for await (const chunk of stream) {
          yield chunk as Buffer;
          if (this.stopped) break;
        }
      } catch (err) {
        this.log('source read failed', {
          source: this.name,
          error: err instanceof Error ? err.message : String(err),
        });
      }
      if (!this.reopen) return;
      // A command that ran a while gets a fresh backoff; one that dies at once backs off more.
      backoff = Date.now() - started > 10_000 ? 250 : Math.min(backoff * 2, this.maxBackoffMs);
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake();
    this.closeCurrent();
  }
}
