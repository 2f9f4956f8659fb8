import { createHash } from 'node:crypto';
import { ConfigError, loadSection } from './config.errors';
import { loadDatabaseConfig, loadKafkaConfig, processEnv } from './config.loader';
import type { DatabaseConfig, KafkaConfig } from './config.loader';
import { LOG_LEVELS, type LogLevel } from './control-api-config.loader';
import {
  type DeploymentEnvironment,
  readDeploymentEnvironment,
} from './deployment-environment.loader';
import { type Env, EnvReader } from './env.reader';

/**
 * The development platform key: derived from a fixed phrase, so a development database stays
 * readable across restarts. Refused in production, where LOGSTREAM_ARCHIVE_SECRET_KEY is required.
 */
export const DEVELOPMENT_ARCHIVE_KEY = createHash('sha256')
  .update('logstream development archive key (never for production)')
  .digest();

export interface ArchiveKeyConfig {
  /** AES-256-GCM key that encrypts customers' destination secrets at rest (32 bytes). */
  key: Buffer;
  /** True when the development default is in use. */
  development: boolean;
}

/**
 * The platform key for archive destination secrets: LOGSTREAM_ARCHIVE_SECRET_KEY, 32 bytes in
 * base64 (`openssl rand -base64 32`). The control API and the archiver load the same one.
 */
export function loadArchiveKeyConfig(env: Env = processEnv()): ArchiveKeyConfig {
  const r = new EnvReader(env);
  const environment = readDeploymentEnvironment(r);
  const raw = r.optionalString('LOGSTREAM_ARCHIVE_SECRET_KEY');
  if (raw === undefined) {
    if (environment === 'production') {
      r.problem(
        'LOGSTREAM_ARCHIVE_SECRET_KEY is required in production (32 random bytes in base64: openssl rand -base64 32)',
      );
    }
    return r.done({ key: DEVELOPMENT_ARCHIVE_KEY, development: true });
  }
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64') !== raw.replace(/\s/g, '')) {
    r.problem(
      `LOGSTREAM_ARCHIVE_SECRET_KEY must be 32 bytes in base64 (44 characters), got ${raw.length} characters`,
    );
  }
  if (environment === 'production' && key.equals(DEVELOPMENT_ARCHIVE_KEY)) {
    r.problem('LOGSTREAM_ARCHIVE_SECRET_KEY must not be the development key in production');
  }
  return r.done({ key, development: false });
}

export interface ArchiverConfig {
  environment: DeploymentEnvironment;
  httpHost: string;
  httpPort: number;
  /** Consumer group shared by every archiver instance; never starts with a customer prefix. */
  groupId: string;
  /** Kafka group session timeout: how soon the others take over a dead instance's partitions. */
  sessionTimeoutMs: number;
  /** How often the set of archived customers (and their settings) is read from the database. */
  refreshMs: number;
  /** How often each customer's status row is written. */
  statusIntervalMs: number;
  /** Backoff between upload attempts: from min, doubling, to max. */
  retryMinMs: number;
  retryMaxMs: number;
  /** Each upload attempt gives up after this long. */
  uploadTimeoutMs: number;
  /** Plain-HTTP destinations (loopback test servers): refused in production. */
  allowHttpEndpoints: boolean;
  zstdLevel: number;
  gzipLevel: number;
  kafka: KafkaConfig;
  database: DatabaseConfig;
  secretKey: ArchiveKeyConfig;
  logLevel: LogLevel;
}

/** Everything the archiver needs, validated at once. */
export function loadArchiverConfig(env: Env = processEnv()): ArchiverConfig {
  const problems: string[] = [];
  const kafka = loadSection(problems, () => loadKafkaConfig('logstream-archiver', env));
  const database = loadSection(problems, () => loadDatabaseConfig(env));
  const secretKey = loadSection(problems, () => loadArchiveKeyConfig(env));
  const r = new EnvReader(env);
  const environment = readDeploymentEnvironment(r);
  const groupId = r.string('LOGSTREAM_ARCHIVER_GROUP_ID', 'logstream-archiver');
  if (!groupId.startsWith('logstream-')) {
    r.problem(
      `LOGSTREAM_ARCHIVER_GROUP_ID must start with "logstream-" so it can never be a customer's group prefix, got "${groupId}"`,
    );
  }
  const retryMinMs = r.int('LOGSTREAM_ARCHIVER_RETRY_MIN_MS', 1_000, 10, 600_000);
  const retryMaxMs = r.int('LOGSTREAM_ARCHIVER_RETRY_MAX_MS', 30_000, 10, 3_600_000);
  if (retryMaxMs < retryMinMs) {
    r.problem('LOGSTREAM_ARCHIVER_RETRY_MAX_MS must be at least LOGSTREAM_ARCHIVER_RETRY_MIN_MS');
  }
  const allowHttpEndpoints = r.bool(
    'LOGSTREAM_ARCHIVE_ALLOW_HTTP_ENDPOINTS',
    environment !== 'production',
  );
  const config = {
    environment,
    httpHost: r.string('LOGSTREAM_ARCHIVER_HTTP_HOST', '127.0.0.1'),
    httpPort: r.int('LOGSTREAM_ARCHIVER_HTTP_PORT', 9303, 0, 65535),
    groupId,
    sessionTimeoutMs: r.int('LOGSTREAM_ARCHIVER_SESSION_TIMEOUT_MS', 30_000, 6_000, 300_000),
    refreshMs: r.int('LOGSTREAM_ARCHIVER_REFRESH_MS', 5_000, 100, 600_000),
    statusIntervalMs: r.int('LOGSTREAM_ARCHIVER_STATUS_INTERVAL_MS', 2_000, 100, 600_000),
    retryMinMs,
    retryMaxMs,
    uploadTimeoutMs: r.int('LOGSTREAM_ARCHIVER_UPLOAD_TIMEOUT_MS', 60_000, 500, 3_600_000),
    allowHttpEndpoints,
    zstdLevel: r.int('LOGSTREAM_ARCHIVER_ZSTD_LEVEL', 3, 1, 19),
    gzipLevel: r.int('LOGSTREAM_ARCHIVER_GZIP_LEVEL', 6, 1, 9),
    logLevel: r.oneOf('LOGSTREAM_LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  loadSection(problems, () => r.done(undefined));
  if (problems.length > 0 || !kafka || !database || !secretKey) throw new ConfigError(problems);
  return { ...config, kafka, database, secretKey };
}
