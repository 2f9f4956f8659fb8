import { accessSync, constants, statSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { type Env, EnvReader, processEnv } from '@logstream/config';
import {
  COMPRESSIONS,
  EDGE_OPTIONS,
  type EdgeCommand,
  type EdgeConfig,
  type EdgeOptionKey,
  LOCKED_RDKAFKA_PROPERTIES,
  queueBoundsForBudget,
  type SourceSpec,
  spoolSegmentBytes,
  START_AT,
} from './edge-config.types';

const BY_FLAG = new Map(
  Object.entries(EDGE_OPTIONS).map(([key, o]) => [o.flag, key as EdgeOptionKey]),
);
const RDKAFKA_ENV = 'LOGSTREAM_EDGE_RDKAFKA';

interface ParsedArgs {
  help: boolean;
  flags: Partial<Record<EdgeOptionKey, string>>;
  overrides: string[];
  problems: string[];
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { help: false, flags: {}, overrides: [], problems: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = BY_FLAG.get(name);
    if (key === undefined && name !== '-X') {
      parsed.problems.push(
        arg.startsWith('-')
          ? `unknown option ${name} (see --help)`
          : `unexpected argument "${arg}" (the source is given with --source)`,
      );
      continue;
    }
    let value: string | undefined;
    if (name !== arg) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) {
      parsed.problems.push(`${name} needs a value`);
      continue;
    }
    if (key === undefined) parsed.overrides.push(value);
    else parsed.flags[key] = value;
  }
  return parsed;
}

/**
 * Reads the edge producer's configuration from its command line and environment (a flag wins
 * over its variable), checking everything at once: a {@link ConfigError} lists every problem.
 */
export function loadEdgeConfig(
  argv: readonly string[],
  env: Env = processEnv(),
  host: string = hostname(),
): EdgeCommand {
  const args = parseArgs(argv);
  if (args.help) return { kind: 'help' };

  // Read each setting under the name the operator used for it, so messages point at it.
  const values: Record<string, string | undefined> = {};
  const label = {} as Record<EdgeOptionKey, string>;
  for (const [k, o] of Object.entries(EDGE_OPTIONS)) {
    const key = k as EdgeOptionKey;
    const fromFlag = args.flags[key];
    label[key] = fromFlag !== undefined ? o.flag : o.env;
    values[label[key]] = fromFlag ?? env[o.env];
  }
  const r = new EnvReader(values);
  for (const p of args.problems) r.problem(p);
  const str = (k: EdgeOptionKey): string | undefined => r.optionalString(label[k]);

  const D = Object.fromEntries(Object.entries(EDGE_OPTIONS).map(([k, o]) => [k, o.default])) as {
    [K in EdgeOptionKey]: (typeof EDGE_OPTIONS)[K]['default'];
  };
  const source = parseSource(str('source') ?? D.source, label.source, r);
  const brokers = r.brokers(label.brokers, EDGE_OPTIONS.brokers.default);
  const tlsParts = {
    caFile: str('caFile'),
    certFile: str('certFile'),
    keyFile: str('keyFile'),
  };
  const tlsSet = Object.values(tlsParts).filter((v) => v !== undefined).length;
  if (tlsSet !== 0 && tlsSet !== 3) {
    r.problem(
      `${label.caFile}, ${label.certFile} and ${label.keyFile} go together: set all three for SSL, or none`,
    );
  }
  for (const k of ['caFile', 'certFile', 'keyFile'] as const) {
    const file = tlsParts[k];
    if (file !== undefined) requireReadable(file, label[k], r);
  }
  const tls =
    tlsParts.caFile && tlsParts.certFile && tlsParts.keyFile
      ? {
          caFile: path.resolve(tlsParts.caFile),
          certFile: path.resolve(tlsParts.certFile),
          keyFile: path.resolve(tlsParts.keyFile),
        }
      : undefined;

  const overrides = parseOverrides(args.overrides, env[RDKAFKA_ENV], r);
  const maxLineBytes = r.int(label.maxLineBytes, D.maxLineBytes, 64, 64 * 1048576);
  const statsS = r.int(label.statsIntervalS, D.statsIntervalS, 0, 86_400);
  const memoryBudgetMb = r.int(label.memoryBudgetMb, D.memoryBudgetMb, 96, 1_048_576);
  const budgeted = queueBoundsForBudget(memoryBudgetMb, maxLineBytes);
  const config: EdgeConfig = {
    source,
    kafka: {
      brokers,
      tls,
      clientId: str('clientId') ?? D.clientId.replace('HOSTNAME', host),
      compression: r.oneOf(label.compression, COMPRESSIONS, D.compression),
      lingerMs: r.int(label.lingerMs, D.lingerMs, 0, 60_000),
      batchBytes: r.int(label.batchBytes, D.batchBytes, 1024, 64 * 1048576),
      batchMessages: r.int(label.batchMessages, D.batchMessages, 1, 1_000_000),
      queueMaxMessages:
        str('queueMaxMessages') === undefined
          ? budgeted.queueMaxMessages
          : r.int(label.queueMaxMessages, budgeted.queueMaxMessages, 1000, 2_000_000_000),
      queueMaxKbytes:
        str('queueMaxMbytes') === undefined
          ? budgeted.queueMaxKbytes
          : r.int(label.queueMaxMbytes, 1, 1, 2_097_151) * 1024,
      statisticsIntervalMs: statsS === 0 ? 5000 : Math.min(statsS, 5) * 1000,
      overrides,
    },
    nodeId: str('nodeId') ?? D.nodeId.replace('HOSTNAME', host),
    memoryBudgetMb,
    maxLineBytes,
    metrics: parseListen(str('metricsListen') ?? D.metricsListen, label.metricsListen, r),
    statsIntervalMs: statsS * 1000,
    customerStatsIntervalMs: r.int(label.customerStatsS, D.customerStatsS, 0, 3600) * 1000,
    shutdownTimeoutMs: r.int(label.shutdownTimeoutS, D.shutdownTimeoutS, 1, 3600) * 1000,
    execMaxBackoffMs: r.int(label.execMaxBackoffS, D.execMaxBackoffS, 1, 3600) * 1000,
  };
  if (source.kind === 'file') {
    const positionFile = path.resolve(
      str('positionFile') ?? D.positionFile.replace('FILE', source.path),
    );
    requireWritableDir(path.dirname(positionFile), label.positionFile, r);
    config.file = {
      positionFile,
      startAt: r.oneOf(label.startAt, START_AT, D.startAt),
      checkpointMs: r.int(label.checkpointMs, D.checkpointMs, 100, 3_600_000),
      pollMs: 100,
    };
  } else {
    for (const k of ['positionFile', 'startAt', 'checkpointMs'] as const) {
      if (args.flags[k] !== undefined)
        r.problem(`${EDGE_OPTIONS[k].flag} only applies to a file: source`);
    }
  }
  const spoolDir = str('spoolDir');
  // Read (and checked) even without a spool folder, so the reference lists them.
  const spoolMaxBytes = r.int(label.spoolMaxBytes, D.spoolMaxBytes, 1048576, 2 ** 50);
  const spoolFsyncMs = r.int(label.spoolFsyncMs, D.spoolFsyncMs, 10, 60_000);
  if (spoolDir !== undefined) {
    if (source.kind === 'file') {
      r.problem(`${label.spoolDir}: a file: source never spools (the file is the buffer)`);
    } else {
      const dir = path.resolve(spoolDir);
      requireWritableDir(path.dirname(dir), label.spoolDir, r);
      config.spool = {
        dir,
        maxBytes: spoolMaxBytes,
        segmentBytes: spoolSegmentBytes(spoolMaxBytes),
        fsyncMs: spoolFsyncMs,
      };
    }
  } else {
    for (const k of ['spoolMaxBytes', 'spoolFsyncMs'] as const) {
      if (args.flags[k] !== undefined) r.problem(`${EDGE_OPTIONS[k].flag} needs --spool-dir`);
    }
  }
  return { kind: 'run', config: r.done(config) };
}

function parseSource(raw: string, name: string, r: EnvReader): SourceSpec {
  if (raw === 'stdin' || raw === '-') return { kind: 'stdin' };
  const colon = raw.indexOf(':');
  const kind = colon > 0 ? raw.slice(0, colon) : '';
  const rest = raw.slice(colon + 1);
  switch (kind) {
    case 'file':
    case 'fifo': {
      if (rest === '') break;
      const file = path.resolve(rest);
      if (kind === 'file') {
        requireDir(path.dirname(file), name, r);
        return { kind, path: file };
      }
      try {
        if (!statSync(file).isFIFO()) r.problem(`${name}: ${file} is not a named pipe (mkfifo it)`);
      } catch {
        r.problem(`${name}: named pipe ${file} does not exist (mkfifo it first)`);
      }
      return { kind, path: file };
    }
    case 'exec':
      if (rest.trim() === '') break;
      return { kind, command: rest };
    case 'udp':
    case 'tcp': {
      // [HOST:]PORT; loopback unless a host is named (IPv6 in brackets).
      const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:]+):)?(\d{1,5})$/.exec(rest);
      const port = m ? Number(m[2]) : NaN;
      if (!m || port > 65535) break;
      return { kind, host: m[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1', port };
    }
  }
  r.problem(
    `${name} must be stdin, file:<path>, fifo:<path>, exec:<command>, udp:[host:]port or tcp:[host:]port, got "${raw}"`,
  );
  return { kind: 'stdin' };
}

function parseListen(
  raw: string,
  name: string,
  r: EnvReader,
): { host: string; port: number } | undefined {
  if (raw === 'off') return undefined;
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    r.problem(`${name} must be HOST:PORT, PORT or off, got "${raw}"`);
    return undefined;
  }
  return {
    host: m[1] === undefined || m[1] === '' ? '0.0.0.0' : m[1].replace(/^\[|\]$/g, ''),
    port,
  };
}

function parseOverrides(
  fromFlags: readonly string[],
  fromEnv: string | undefined,
  r: EnvReader,
): Record<string, string> {
  const items = [
    ...(fromEnv ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...fromFlags,
  ];
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (key === '' || eq === item.length - 1) {
      r.problem(`-X takes KEY=VALUE (a librdkafka property), got "${item}"`);
      continue;
    }
    if (LOCKED_RDKAFKA_PROPERTIES.includes(key)) {
      r.problem(
        `-X ${key} is set by logstream-edge itself (delivery guarantees) and cannot be changed`,
      );
      continue;
    }
    out[key] = item.slice(eq + 1);
  }
  return out;
}

function requireReadable(file: string, name: string, r: EnvReader): void {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    r.problem(`${name}: cannot read ${file}`);
  }
}

function requireDir(dir: string, name: string, r: EnvReader): void {
  try {
    if (!statSync(dir).isDirectory()) r.problem(`${name}: ${dir} is not a directory`);
  } catch {
    r.problem(`${name}: directory ${dir} does not exist`);
  }
}

function requireWritableDir(dir: string, name: string, r: EnvReader): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    r.problem(`${name}: cannot write to directory ${dir}`);
  }
}
