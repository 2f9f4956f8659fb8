import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '@logstream/config';

export type LogSink = (line: string) => void;
type EventLevel = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * One JSON object per line (time, level, msg, then fields), for Nest's own messages and for the
 * API's events alike, so a log shipper parses every line the same way.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: LogLevel,
    private readonly sink: LogSink = stdoutSink,
  ) {}

  enabled(level: EventLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  event(level: EventLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (!this.enabled(level)) return;
    this.sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.nest('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const [stack, context] = params.length >= 2 ? params : [undefined, params[0]];
    this.event('error', String(message), {
      context: typeof context === 'string' ? context : undefined,
      stack: typeof stack === 'string' ? stack : undefined,
    });
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.nest('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.nest('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.nest('debug', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.nest('error', message, params);
  }

  private nest(level: EventLevel, message: unknown, params: unknown[]): void {
    const context = params.at(-1);
    this.event(level, typeof message === 'string' ? message : JSON.stringify(message), {
      context: typeof context === 'string' ? context : undefined,
    });
  }
}
