import { type Env, EnvReader, processEnv } from '@logstream/config';
import { compileLogFormat, type CompiledFormat, LogFormatError } from './log-format.rules';
import { DEFAULT_SKETCH_OPTIONS, type SketchOptions } from './window-stats.aggregate';

export interface AggregatorConfig {
  /** Consumer group of every aggregator instance; never starts with a customer prefix. */
  groupId: string;
  format: CompiledFormat;
  /** Only customers whose id starts with this (all when empty): tests and staged roll-outs. */
  customerPrefix: string;
  latenessMs: number;
  flushIntervalMs: number;
  topicRefreshMs: number;
  sketch: SketchOptions;
  httpHost: string;
  httpPort: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Write one-minute rollups to PostgreSQL (LOGSTREAM_DATABASE_URL) for the API. */
  rollups: boolean;
}

export function loadAggregatorConfig(env: Env = processEnv()): AggregatorConfig {
  const r = new EnvReader(env);
  const groupId = r.string('LOGSTREAM_STATS_GROUP', 'logstream-aggregator');
  if (!/^logstream-[a-z0-9-]+$/.test(groupId)) {
    r.problem(
      `LOGSTREAM_STATS_GROUP must be "logstream-" and lowercase letters, digits or "-" (no ".", so no customer's group prefix matches it), got "${groupId}"`,
    );
  }
  const formatSource = r.string('LOGSTREAM_STATS_LOG_FORMAT', 'combined-msec');
  let format = compileLogFormat('combined-msec');
  try {
    format = compileLogFormat(formatSource);
  } catch (err) {
    if (!(err instanceof LogFormatError)) throw err;
    r.problem(`LOGSTREAM_STATS_LOG_FORMAT: ${err.message}`);
  }
  const sketch: SketchOptions = {
    hllPrecision: r.int(
      'LOGSTREAM_STATS_HLL_PRECISION',
      DEFAULT_SKETCH_OPTIONS.hllPrecision,
      10,
      16,
    ),
    counterCapacity: r.int(
      'LOGSTREAM_STATS_TOP_COUNTERS',
      DEFAULT_SKETCH_OPTIONS.counterCapacity,
      10,
      1000,
    ),
    topN: r.int('LOGSTREAM_STATS_TOP_N', DEFAULT_SKETCH_OPTIONS.topN, 1, 100),
  };
  if (sketch.topN > sketch.counterCapacity) {
    r.problem('LOGSTREAM_STATS_TOP_N must not exceed LOGSTREAM_STATS_TOP_COUNTERS');
  }
  return r.done({
    groupId,
    format,
    customerPrefix: r.string('LOGSTREAM_STATS_CUSTOMER_PREFIX', ''),
    latenessMs: r.int('LOGSTREAM_STATS_LATENESS_MS', 5_000, 0, 600_000),
    flushIntervalMs: r.int('LOGSTREAM_STATS_FLUSH_MS', 1_000, 100, 60_000),
    topicRefreshMs: r.int('LOGSTREAM_STATS_TOPIC_REFRESH_MS', 10_000, 500, 600_000),
    sketch,
    httpHost: r.string('LOGSTREAM_STATS_HTTP_HOST', '127.0.0.1'),
    httpPort: r.int('LOGSTREAM_STATS_HTTP_PORT', 9304, 0, 65535),
    rollups: r.bool('LOGSTREAM_STATS_ROLLUPS', true),
    logLevel: r.oneOf('LOGSTREAM_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  });
}
