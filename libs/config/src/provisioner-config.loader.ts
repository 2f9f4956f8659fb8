import { type Env, EnvReader } from './env.reader';
import { processEnv } from './config.loader';
import { type QuotaDefaults, readQuotaDefaults } from './quota-config.loader';

export const PROVISIONER_STEPS = [
  'ensure-topic',
  'sync-acls',
  'publish-registry',
  'confirm-acls',
  'report',
  'sync-quota',
  'delete-topic',
  'tombstone-registry',
  'delete-customer',
] as const;

export interface CustomerTopicConfig {
  partitions: number;
  replicationFactor: number;
  retentionMs: number;
  minInsyncReplicas: number;
}

export interface ProvisionerConfig {
  httpHost: string;
  httpPort: number;
  concurrency: number;
  resyncIntervalMs: number;
  retryDelayMs: number;
  stepAttempts: number;
  backoffMs: number;
  aclConfirmTimeoutMs: number;
  /** Unset: the database's own random key (table provisioner_lock). */
  lockKey?: number;
  lockPollMs: number;
  /** The leader proves it holds the lock this often, each check within the timeout. */
  lockCheckMs: number;
  lockCheckTimeoutMs: number;
  lockKeepAliveMs: number;
  topic: CustomerTopicConfig;
  /** Principals of edge producers (certificate CNs): granted WRITE on cdn-logs.* and the registry. */
  edgePrincipals: string[];
  /** Principals of health collectors: granted READ on logstream.edge-stats (and its group). */
  healthPrincipals: string[];
  /**
   * Principals whose ACLs drift repair leaves alone wherever they are (operators, the
   * platform's own apps); every other grant on customer resources that is not desired goes.
   */
  operatorPrincipals: string[];
  /** Client quotas of customers without their own, set as the broker's default user entity. */
  quota: QuotaDefaults;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Fault-test hook: SIGKILL this process right after the named step completes. */
  crashAfterStep?: (typeof PROVISIONER_STEPS)[number];
}

export function loadProvisionerConfig(env: Env = processEnv()): ProvisionerConfig {
  const r = new EnvReader(env);
  const replicationFactor = r.int('LOGSTREAM_TOPIC_REPLICATION_FACTOR', 1, 1, 9);
  const topic: CustomerTopicConfig = {
    partitions: r.int('LOGSTREAM_TOPIC_PARTITIONS', 3, 1, 1000),
    replicationFactor,
    retentionMs: r.int(
      'LOGSTREAM_TOPIC_RETENTION_MS',
      7 * 24 * 3600_000,
      60_000,
      365 * 24 * 3600_000,
    ),
    minInsyncReplicas: r.int(
      'LOGSTREAM_TOPIC_MIN_INSYNC_REPLICAS',
      Math.min(2, replicationFactor),
      1,
      9,
    ),
  };
  if (topic.minInsyncReplicas > replicationFactor) {
    r.problem(
      `LOGSTREAM_TOPIC_MIN_INSYNC_REPLICAS (${topic.minInsyncReplicas}) cannot exceed LOGSTREAM_TOPIC_REPLICATION_FACTOR (${replicationFactor})`,
    );
  }
  const crash = r.optionalString('LOGSTREAM_PROVISIONER_CRASH_AFTER_STEP');
  const steps: readonly string[] = PROVISIONER_STEPS;
  if (crash !== undefined && !steps.includes(crash)) {
    r.problem(
      `LOGSTREAM_PROVISIONER_CRASH_AFTER_STEP must be one of ${PROVISIONER_STEPS.join(', ')}, got "${crash}"`,
    );
  }
  return r.done({
    httpHost: r.string('LOGSTREAM_PROVISIONER_HTTP_HOST', '127.0.0.1'),
    httpPort: r.int('LOGSTREAM_PROVISIONER_HTTP_PORT', 9302, 0, 65535),
    concurrency: r.int('LOGSTREAM_PROVISIONER_CONCURRENCY', 16, 1, 256),
    resyncIntervalMs: r.int('LOGSTREAM_PROVISIONER_RESYNC_MS', 30_000, 500, 3_600_000),
    retryDelayMs: r.int('LOGSTREAM_PROVISIONER_RETRY_DELAY_MS', 2_000, 10, 600_000),
    stepAttempts: r.int('LOGSTREAM_PROVISIONER_STEP_ATTEMPTS', 4, 1, 20),
    backoffMs: r.int('LOGSTREAM_PROVISIONER_BACKOFF_MS', 200, 1, 60_000),
    aclConfirmTimeoutMs: r.int(
      'LOGSTREAM_PROVISIONER_ACL_CONFIRM_TIMEOUT_MS',
      10_000,
      100,
      300_000,
    ),
    lockKey: optionalLockKey(r),
    lockPollMs: r.int('LOGSTREAM_PROVISIONER_LOCK_POLL_MS', 1_000, 50, 60_000),
    lockCheckMs: r.int('LOGSTREAM_PROVISIONER_LOCK_CHECK_MS', 2_000, 50, 60_000),
    lockCheckTimeoutMs: r.int('LOGSTREAM_PROVISIONER_LOCK_CHECK_TIMEOUT_MS', 3_000, 50, 60_000),
    lockKeepAliveMs: r.int('LOGSTREAM_PROVISIONER_LOCK_KEEPALIVE_MS', 5_000, 1_000, 600_000),
    topic,
    edgePrincipals: r
      .string('LOGSTREAM_EDGE_PRINCIPALS', 'logstream-edge')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    healthPrincipals: principalList(r, 'LOGSTREAM_HEALTH_PRINCIPALS', 'logstream-health-collector'),
    operatorPrincipals: principalList(r, 'LOGSTREAM_PROVISIONER_OPERATOR_PRINCIPALS', ''),
    quota: readQuotaDefaults(r),
    logLevel: r.oneOf('LOGSTREAM_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    crashAfterStep: crash as ProvisionerConfig['crashAfterStep'],
  });
}

/** A comma-separated list of principal names (without `User:`); customer ones are refused. */
function principalList(r: EnvReader, name: string, fallback: string): string[] {
  const list = r
    .string(name, fallback)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of list) {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(p)) {
      r.problem(`${name}: "${p}" is not a principal name (letters, digits, . _ -; no "User:")`);
    } else if (p.startsWith('customer.')) {
      r.problem(
        `${name}: "${p}" is a customer principal; customers get access only through credentials`,
      );
    }
  }
  return list;
}

/** An explicit lock key (tests give each run its own); unset in production. */
function optionalLockKey(r: EnvReader): number | undefined {
  if (r.optionalString('LOGSTREAM_PROVISIONER_LOCK_KEY') === undefined) return undefined;
  return r.int('LOGSTREAM_PROVISIONER_LOCK_KEY', 0, 1, 2 ** 31 - 1);
}
