import {
  FIXED_LOG_KEYS,
  type LogFields,
  type Logger,
  type LogLevel,
  type LogSink,
  type LogThreshold,
} from './log-line.types';

const RANK: Record<LogThreshold, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const FIXED = new Set<string>(FIXED_LOG_KEYS);

/** Every process logs to stderr: stdout may be a pipe someone reads (the edge's `--help`). */
export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export interface LoggerOptions {
  app: string;
  level?: LogThreshold;
  sink?: LogSink;
  /** Context on every line, e.g. `{ node: 'edge-7' }`. */
  fields?: LogFields;
}

/** The one JSON logger. */
export function createLogger(options: LoggerOptions): Logger {
  return new JsonLogger(
    options.app,
    RANK[options.level ?? 'info'],
    options.sink ?? stderrSink,
    options.fields ?? {},
  );
}

class JsonLogger implements Logger {
  constructor(
    private readonly app: string,
    private readonly threshold: number,
    private readonly sink: LogSink,
    private readonly context: LogFields,
  ) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold;
  }

  log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      msg,
      app: this.app,
    };
    copyContext(line, this.context);
    copyContext(line, fields);
    this.sink(JSON.stringify(line, jsonSafe));
  }

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.app, this.threshold, this.sink, { ...this.context, ...fields });
  }
}

function copyContext(line: Record<string, unknown>, fields: LogFields): void {
  for (const [key, value] of Object.entries(fields)) {
    if (!FIXED.has(key) && value !== undefined) line[key] = value;
  }
}

/** Errors become their message (a stack only when asked for); bigints become numbers' text. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The message of anything thrown, for a log field. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
