export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Structured logging; every reconcile line carries the customer and the generation. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** One JSON object per line on stderr. */
export class JsonLogger implements Logger {
  constructor(
    private readonly base: LogFields = {},
    private readonly minLevel: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (RANK[level] < RANK[this.minLevel]) return;
    this.write(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg: message,
        ...this.base,
        ...fields,
      }),
    );
  }

  child(fields: LogFields): Logger {
    return new JsonLogger({ ...this.base, ...fields }, this.minLevel, this.write);
  }
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
