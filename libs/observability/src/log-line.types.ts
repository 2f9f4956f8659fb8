import type { LogLevel as ConfiguredLogLevel } from '@logstream/config';

/** The configured threshold (LOGSTREAM_LOG_LEVEL); `silent` writes nothing. */
export type LogThreshold = ConfiguredLogLevel;
/** Severity of a log line. */
export type LogLevel = Exclude<LogThreshold, 'silent'>;

/** Context carried on a line after the fixed keys, such as `customer`, `generation`, `step`. */
export type LogFields = Record<string, unknown>;

/**
 * The one line schema of every Logstream process: a JSON object per line with `time`, `level`,
 * `msg` and `app` first, then the context. The fixed keys cannot be overwritten by fields.
 */
export const FIXED_LOG_KEYS = ['time', 'level', 'msg', 'app'] as const;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether a line at `level` would be written (to skip building costly fields). */
  enabled(level: LogLevel): boolean;
  /** A logger whose every line also carries `fields`. */
  child(fields: LogFields): Logger;
}

/** Where finished lines go (without the newline). */
export type LogSink = (line: string) => void;
