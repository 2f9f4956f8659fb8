import { createHash } from 'node:crypto';
import { type Env, EnvReader } from './env.reader';
import { processEnv, readKafkaPortBase } from './config.loader';
import { readDeploymentEnvironment } from './deployment-environment.loader';

/**
 * Outbound webhooks (alerts). The signing secrets are stored encrypted with `secretKey`, so the
 * control API (which creates them) and the health collector (which signs with them) share it.
 */
export interface AlertsConfig {
  /** 32 bytes: AES-256-GCM key for the stored signing secrets. */
  secretKey: Buffer;
  /** Development only: let webhooks reach loopback (tests run their receiver there). */
  allowLoopbackTargets: boolean;
  /** Development only: let webhooks reach private ranges too. Refused in production. */
  allowPrivateTargets: boolean;
}

export interface HealthCollectorConfig {
  httpHost: string;
  httpPort: number;
  /** Time between two collections. */
  pollIntervalMs: number;
  /** At most this many consumer groups are counted per customer (the first ones by name). */
  maxGroupsPerCustomer: number;
  /** A group is at risk once its oldest unread line is this share of retention.ms old. */
  retentionRiskFraction: number;
  /**
   * The brokers' Prometheus JMX exporter endpoints (per-topic bytes in and out), all of them:
   * one missing makes the broker figures unknown. Empty: not scraped.
   */
  brokerMetricsUrls: string[];
  /** One-minute rollups older than this are pruned. */
  rollupRetentionDays: number;
  /** Concurrent OffsetFetch requests in flight (one per group). */
  offsetFetchConcurrency: number;
  /** Webhook delivery: attempts before a message is given up, and the first backoff. */
  webhookAttempts: number;
  webhookBackoffMs: number;
  webhookTimeoutMs: number;
  alerts: AlertsConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** The development key: fine on a laptop, refused in production. */
const DEVELOPMENT_ALERT_KEY = 'logstream-development-alert-secret-key';

export function loadAlertsConfig(env: Env = processEnv()): AlertsConfig {
  const r = new EnvReader(env);
  const production = readDeploymentEnvironment(r) === 'production';
  const raw = r.optionalString('LOGSTREAM_ALERT_SECRET_KEY');
  if (raw === undefined && production) {
    r.problem('LOGSTREAM_ALERT_SECRET_KEY is required in production (64 hex characters)');
  }
  let secretKey = createHash('sha256').update(DEVELOPMENT_ALERT_KEY).digest();
  if (raw !== undefined) {
    if (/^[0-9a-fA-F]{64}$/.test(raw)) secretKey = Buffer.from(raw, 'hex');
    else r.problem('LOGSTREAM_ALERT_SECRET_KEY must be 64 hex characters (32 bytes)');
  }
  const allowLoopbackTargets = r.bool('LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK', false);
  const allowPrivateTargets = r.bool('LOGSTREAM_WEBHOOK_ALLOW_PRIVATE', false);
  if (production && (allowLoopbackTargets || allowPrivateTargets)) {
    r.problem(
      'LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK and LOGSTREAM_WEBHOOK_ALLOW_PRIVATE are for development only',
    );
  }
  return r.done({ secretKey, allowLoopbackTargets, allowPrivateTargets });
}

export function loadHealthCollectorConfig(env: Env = processEnv()): HealthCollectorConfig {
  const r = new EnvReader(env);
  const fraction = r.int('LOGSTREAM_HEALTH_RETENTION_RISK_PERCENT', 75, 1, 100) / 100;
  const config = {
    httpHost: r.string('LOGSTREAM_HEALTH_HTTP_HOST', '127.0.0.1'),
    httpPort: r.int('LOGSTREAM_HEALTH_HTTP_PORT', 9305, 0, 65535),
    pollIntervalMs: r.int('LOGSTREAM_HEALTH_POLL_MS', 15_000, 100, 600_000),
    maxGroupsPerCustomer: r.int('LOGSTREAM_HEALTH_MAX_GROUPS_PER_CUSTOMER', 20, 1, 1000),
    retentionRiskFraction: fraction,
    brokerMetricsUrls: brokerMetricsUrls(r),
    rollupRetentionDays: r.int('LOGSTREAM_HEALTH_ROLLUP_DAYS', 30, 1, 365),
    offsetFetchConcurrency: r.int('LOGSTREAM_HEALTH_OFFSET_FETCH_CONCURRENCY', 64, 1, 1024),
    webhookAttempts: r.int('LOGSTREAM_WEBHOOK_ATTEMPTS', 8, 1, 50),
    webhookBackoffMs: r.int('LOGSTREAM_WEBHOOK_BACKOFF_MS', 1_000, 10, 600_000),
    webhookTimeoutMs: r.int('LOGSTREAM_WEBHOOK_TIMEOUT_MS', 5_000, 100, 60_000),
    logLevel: r.oneOf('LOGSTREAM_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  r.done(undefined);
  return { ...config, alerts: loadAlertsConfig(env) };
}

/** Default: the local broker's agent (scripts/kafka.sh serves it on the port base + 9); `off`. */
function brokerMetricsUrls(r: EnvReader): string[] {
  const name = 'LOGSTREAM_HEALTH_BROKER_METRICS_URLS';
  const raw = r.string(name, `http://127.0.0.1:${readKafkaPortBase(r) + 9}/metrics`);
  if (raw === 'off') return [];
  const urls = raw
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const u of urls) {
    if (!/^https?:\/\/[^/\s]+\/\S*$/.test(u)) r.problem(`${name}: "${u}" is not an http(s) URL`);
  }
  return urls;
}
