import type { TlsFiles } from '@logstream/config';

export type SourceSpec =
  | { kind: 'stdin' }
  | { kind: 'file'; path: string }
  | { kind: 'fifo'; path: string }
  | { kind: 'exec'; command: string }
  | { kind: 'udp' | 'tcp'; host: string; port: number };

export const COMPRESSIONS = ['lz4', 'zstd', 'gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export const START_AT = ['end', 'beginning'] as const;
export type StartAt = (typeof START_AT)[number];

export interface EdgeKafkaConfig {
  brokers: string[];
  /** Set: SSL with this client certificate (the edge node's principal). Unset: PLAINTEXT. */
  tls?: TlsFiles;
  clientId: string;
  compression: Compression;
  lingerMs: number;
  batchBytes: number;
  batchMessages: number;
  queueMaxMessages: number;
  queueMaxKbytes: number;
  /** librdkafka's statistics interval, the source of queue depth and latency figures. */
  statisticsIntervalMs: number;
  /** Extra librdkafka properties from `-X key=value`. */
  overrides: Record<string, string>;
}

export interface FileSourceConfig {
  positionFile: string;
  /** Where to begin in a file met for the first time (no position saved for it). */
  startAt: StartAt;
  /** How often the position is saved, after a flush confirmed every line before it. */
  checkpointMs: number;
  pollMs: number;
}

/** The disk spool of a stream source (docs/edge-producer.md, "Disk spool"). */
export interface SpoolConfig {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
  fsyncMs: number;
}

export interface EdgeConfig {
  source: SourceSpec;
  kafka: EdgeKafkaConfig;
  /** Message key of every line: keeps one node's lines in one partition, in order. */
  nodeId: string;
  /** The resident memory the process is sized to stay within (it sizes the Kafka queue). */
  memoryBudgetMb: number;
  maxLineBytes: number;
  file?: FileSourceConfig;
  /** Set: a stream source spools to disk while the Kafka queue is full. Unset: it waits. */
  spool?: SpoolConfig;
  /** Undefined when the metrics endpoint is off. Port 0 picks a free port (it is logged). */
  metrics?: { host: string; port: number };
  statsIntervalMs: number;
  /** How often the per-customer counts go to logstream.edge-stats; 0 = never. */
  customerStatsIntervalMs: number;
  shutdownTimeoutMs: number;
  execMaxBackoffMs: number;
}

export type EdgeCommand = { kind: 'help' } | { kind: 'run'; config: EdgeConfig };

export interface EdgeOption<D extends string | number = string | number> {
  flag: string;
  env: string;
  arg: string;
  help: string;
  /**
   * What the loader uses when the option is not set (and what --help shows). In strings,
   * HOSTNAME stands for the host's name and FILE for the file source's path.
   */
  default: D;
}

function option<D extends string | number>(
  flag: string,
  arg: string,
  fallback: D,
  help: string,
): EdgeOption<D> {
  const env = `LOGSTREAM_EDGE_${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}`;
  return { flag, env, arg, help, default: fallback };
}

/** Every setting: a flag, the environment variable it overrides, and its one default. */
export const EDGE_OPTIONS = {
  source: option(
    '--source',
    'SPEC',
    'stdin',
    'stdin | file:PATH | fifo:PATH | exec:COMMAND | udp:[HOST:]PORT | tcp:[HOST:]PORT',
  ),
  brokers: option('--brokers', 'HOST:PORT,..', '127.0.0.1:19092', 'Kafka bootstrap servers'),
  caFile: option('--ca-file', 'PATH', '', 'CA certificate (PEM); with the two below: SSL'),
  certFile: option('--cert-file', 'PATH', '', "this node's client certificate (PEM)"),
  keyFile: option('--key-file', 'PATH', '', "this node's private key (PEM)"),
  clientId: option('--client-id', 'ID', 'logstream-edge@HOSTNAME', 'Kafka client.id'),
  nodeId: option('--node-id', 'NAME', 'HOSTNAME', 'message key: keeps this node in one partition'),
  compression: option('--compression', COMPRESSIONS.join('|'), 'lz4', 'batch compression'),
  lingerMs: option('--linger-ms', 'MS', 1_000, 'how long a batch may wait to fill up'),
  batchBytes: option('--batch-bytes', 'BYTES', 1_000_000, 'largest batch per partition'),
  batchMessages: option('--batch-messages', 'N', 100_000, 'most messages in one batch'),
  memoryBudgetMb: option('--memory-budget-mb', 'MIB', 160, 'RSS budget; sizes the queue below'),
  queueMaxMessages: option('--queue-max-messages', 'N', 'BUDGET', 'local queue bound'),
  queueMaxMbytes: option('--queue-max-mbytes', 'MIB', 'BUDGET', 'local queue bound in MiB'),
  maxLineBytes: option('--max-line-bytes', 'BYTES', 1_048_576, 'longer lines are dropped'),
  positionFile: option('--position-file', 'PATH', 'FILE.logstream-pos', 'file source position'),
  startAt: option('--start-at', START_AT.join('|'), 'end', 'file source: where a new file begins'),
  checkpointMs: option('--checkpoint-ms', 'MS', 5_000, 'file source: how often to save'),
  spoolDir: option(
    '--spool-dir',
    'PATH',
    '',
    'not file: sources: spool lines here while the Kafka queue is full (unset: reading pauses)',
  ),
  spoolMaxBytes: option(
    '--spool-max-bytes',
    'BYTES',
    1_073_741_824,
    'spool disk budget; past it the oldest spooled lines are dropped (counted)',
  ),
  spoolFsyncMs: option('--spool-fsync-ms', 'MS', 1_000, 'how often spooled lines are fsynced'),
  metricsListen: option('--metrics-listen', 'HOST:PORT|off', '127.0.0.1:9464', 'GET /metrics'),
  statsIntervalS: option('--stats-interval-s', 'S', 10, 'one-line stats log; 0 = off'),
  customerStatsS: option(
    '--customer-stats-s',
    'S',
    60,
    'per-customer counts record to logstream.edge-stats; 0 = off',
  ),
  shutdownTimeoutS: option('--shutdown-timeout-s', 'S', 30, 'flush limit on SIGTERM/SIGINT'),
  execMaxBackoffS: option('--exec-max-backoff-s', 'S', 30, 'exec source: longest restart delay'),
} as const satisfies Record<string, EdgeOption>;

export type EdgeOptionKey = keyof typeof EDGE_OPTIONS;

/** What the process needs besides the queue: Node, its heap and code, librdkafka's threads. */
export const MEMORY_BASE_MIB = 64;
/** librdkafka holds a queued line about twice over (its copy, per-message header, batches). */
export const QUEUE_MEMORY_FACTOR = 2;
/** The smallest average line the message bound is sized for. */
export const QUEUE_MIN_LINE_BYTES = 128;

/**
 * The librdkafka queue bounds a memory budget allows (docs/edge-producer.md, "Memory"): the
 * budget less the base, less the reader's buffers (a read chunk and one carried line), halved
 * for librdkafka's overhead.
 */
export function queueBoundsForBudget(
  budgetMib: number,
  maxLineBytes: number,
): { queueMaxKbytes: number; queueMaxMessages: number } {
  const readerMib = (256 * 1024 + maxLineBytes) / 1048576;
  const queueMib = Math.max(1, (budgetMib - MEMORY_BASE_MIB - readerMib) / QUEUE_MEMORY_FACTOR);
  const queueMaxKbytes = Math.floor(queueMib * 1024);
  return {
    queueMaxKbytes,
    queueMaxMessages: Math.max(1000, Math.floor((queueMaxKbytes * 1024) / QUEUE_MIN_LINE_BYTES)),
  };
}

/** Spool segments roll at this size, or an eighth of the budget (so a drop frees little). */
export const SPOOL_SEGMENT_MAX_BYTES = 16 * 1048576;

export function spoolSegmentBytes(maxBytes: number): number {
  return Math.min(SPOOL_SEGMENT_MAX_BYTES, Math.max(64 * 1024, Math.floor(maxBytes / 8)));
}

/** librdkafka properties that carry the delivery guarantees; `-X` may not change them. */
export const LOCKED_RDKAFKA_PROPERTIES = [
  'enable.idempotence',
  'acks',
  'request.required.acks',
  'delivery.report.only.error',
  'dr_cb',
  'dr_msg_cb',
  'bootstrap.servers',
  'metadata.broker.list',
  'security.protocol',
];

export function edgeHelp(): string {
  const rows = Object.values(EDGE_OPTIONS).map((o: EdgeOption) => [
    `  ${o.flag} ${o.arg}`,
    `${o.help} (default ${o.default === '' ? 'unset' : String(o.default)}; env ${o.env})`,
  ]);
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return [
    'Usage: logstream-edge [options]',
    '',
    'Reads "<customerId> <log line>" lines and produces each log line, unchanged, to the Kafka',
    'topic cdn-logs.<customerId> while the tenant registry (logstream.tenants) says that customer',
    'is enabled. Other lines are dropped and counted. SIGTERM/SIGINT: stop reading, flush, exit 0.',
    '',
    'Options (a flag wins over its environment variable):',
    ...rows.map(([a, b]) => a.padEnd(width) + b),
    `  -X KEY=VALUE`.padEnd(width) +
      'extra librdkafka property, repeatable (env LOGSTREAM_EDGE_RDKAFKA="k=v,k=v")',
    '  -h, --help'.padEnd(width) + 'this text',
    '',
    'Exit status: 0 after a clean stop, 1 on a fatal error, 2 on invalid configuration.',
  ].join('\n');
}
