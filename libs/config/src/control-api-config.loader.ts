import { type QuotaDefaults, readQuotaDefaults } from './quota-config.loader';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadSection } from './config.errors';
import {
  type DatabaseConfig,
  type KafkaConfig,
  loadDatabaseConfig,
  loadKafkaConfig,
  loadPathsConfig,
  processEnv,
} from './config.loader';
import { type Env, EnvReader } from './env.reader';
import { type ArchiveKeyConfig, loadArchiveKeyConfig } from './archive-config.loader';
import { type AlertsConfig, loadAlertsConfig } from './health-config.loader';
import { loadPanelConfig, type PanelConfig } from './panel-config.loader';
import {
  type DeploymentEnvironment,
  readDeploymentEnvironment,
} from './deployment-environment.loader';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The admin token used when LOGSTREAM_ADMIN_TOKENS is unset in explicit development mode
 * (LOGSTREAM_ENV=development) on a loopback address; refused everywhere else.
 */
export const DEVELOPMENT_ADMIN_TOKEN = 'logstream-dev-admin-token';
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * Who may set X-Forwarded-For: nobody (false), the nearest `hops` proxies, or proxies at these
 * addresses (IPs, CIDRs, or Express's names loopback, linklocal, uniquelocal).
 */
export type TrustProxy = false | number | readonly string[];

export interface ControlApiConfig {
  environment: DeploymentEnvironment;
  http: {
    host: string;
    port: number;
    /** Largest request body accepted; bigger ones answer 413. */
    bodyLimitBytes: number;
    /** Which proxies' X-Forwarded-For names the client address (behind a reverse proxy only). */
    trustProxy: TrustProxy;
  };
  /**
   * Requests per window, counted over all endpoints: `limit` per client address (IPv6 by /64),
   * `principalLimit` per customer (customer tokens) or per admin token. Above either: 429.
   */
  rateLimit: { limit: number; principalLimit: number; windowMs: number };
  auth: { adminTokens: string[] };
  credentials: {
    /**
     * The customer-issuing CA (an intermediate name-constrained to O=customers), the only CA
     * key the API holds; never the platform root.
     */
    caCertFile: string;
    caKeyFile: string;
    /** The root CA customers must trust to reach the broker (signed the broker and the issuing CA). */
    brokerCaFile: string;
    validityDays: number;
    maxActivePerCustomer: number;
    /** Issues per customer per minute (a bucket of that size refilled over a minute). */
    issueRatePerMinute: number;
    /** Issues in progress at once over all customers; more answer 429. */
    issueConcurrency: number;
    /** Worker threads making keys and keystores. */
    workers: number;
    /** Revoked and expired credentials are deleted this many days later. */
    retentionDays: number;
  };
  /** The SSL listener's bootstrap servers as given to customers. */
  customerBootstrap: string[];
  /** Client quotas of customers without their own (what GET …/quota reports for them). */
  quotaDefaults: QuotaDefaults;
  /** The platform's own connection to Kafka: the panel's live tail reads through it. */
  kafka: KafkaConfig;
  panel: PanelConfig;
  database: DatabaseConfig;
  archive: {
    /** Encrypts customers' archive destination secrets at rest. */
    secretKey: ArchiveKeyConfig;
    /** Plain-HTTP archive endpoints (loopback test servers): refused in production. */
    allowHttpEndpoints: boolean;
  };
  /** Alert webhooks: the key of the stored signing secrets, development allowances. */
  alerts: AlertsConfig;
  logLevel: LogLevel;
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1']);

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * Real admin tokens everywhere; the development token (or short tokens) only in explicit
 * development mode on a loopback address, where nobody else can reach the API.
 */
function adminTokens(r: EnvReader, environment: DeploymentEnvironment, host: string): string[] {
  const relaxed = environment === 'development' && isLoopbackHost(host);
  const where = relaxed
    ? ''
    : environment === 'development'
      ? ` (development mode relaxes this on a loopback address only; LOGSTREAM_API_HOST is "${host}")`
      : ' (LOGSTREAM_ENV=development on a loopback address relaxes this)';
  const raw = r.optionalString('LOGSTREAM_ADMIN_TOKENS');
  if (raw === undefined) {
    if (!relaxed) {
      r.problem(
        `LOGSTREAM_ADMIN_TOKENS is required: comma-separated tokens of at least ${MIN_ADMIN_TOKEN_LENGTH} characters${where}`,
      );
    }
    return [DEVELOPMENT_ADMIN_TOKEN];
  }
  const tokens = raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tokens.length === 0) r.problem('LOGSTREAM_ADMIN_TOKENS must name at least one token');
  if (tokens.some((t) => !/^[\x21-\x7e]+$/.test(t))) {
    r.problem('LOGSTREAM_ADMIN_TOKENS: tokens must be printable ASCII without spaces');
  }
  if (!relaxed) {
    if (tokens.includes(DEVELOPMENT_ADMIN_TOKEN)) {
      r.problem(`LOGSTREAM_ADMIN_TOKENS must not contain the development token${where}`);
    }
    if (tokens.some((t) => t.length < MIN_ADMIN_TOKEN_LENGTH)) {
      r.problem(
        `LOGSTREAM_ADMIN_TOKENS: each token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters${where}`,
      );
    }
  }
  return tokens;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry) || isIP(entry) !== 0) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** `true` is refused: it would believe any X-Forwarded-For a client makes up. */
function trustProxy(r: EnvReader): TrustProxy {
  const name = 'LOGSTREAM_API_TRUST_PROXY';
  const raw = r.optionalString(name)?.trim();
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    r.problem(
      `${name}=${raw} would believe any X-Forwarded-For a client makes up: give the number of proxies in front of the API (e.g. 1) or their addresses`,
    );
    return false;
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (entries.length === 0 || bad.length > 0) {
    r.problem(
      `${name} must be false, the number of proxies in front of the API (e.g. 1), or their addresses (IPs or CIDRs, comma-separated); cannot use ${bad.map((b) => `"${b}"`).join(', ') || `"${raw}"`}`,
    );
    return false;
  }
  return entries;
}

/** Everything the control API needs, validated at once: every problem is reported together. */
export function loadControlApiConfig(env: Env = processEnv()): ControlApiConfig {
  const problems: string[] = [];
  const paths = loadSection(problems, () => loadPathsConfig(env));
  const database = loadSection(problems, () => loadDatabaseConfig(env));
  const kafka = loadSection(problems, () => loadKafkaConfig('logstream-control-api', env));
  const archiveKey = loadSection(problems, () => loadArchiveKeyConfig(env));
  const alerts = loadSection(problems, () => loadAlertsConfig(env));
  const panel = loadSection(problems, () => loadPanelConfig(env));
  const r = new EnvReader(env);
  const environment = readDeploymentEnvironment(r);
  const host = r.string('LOGSTREAM_API_HOST', '127.0.0.1');
  const pkiDir = paths?.pkiDir ?? '';
  const caCertFile = path.resolve(
    r.string('LOGSTREAM_CA_CERT_FILE', path.join(pkiDir, 'customer-ca.pem')),
  );
  const config = {
    environment,
    http: {
      host,
      port: r.int('LOGSTREAM_API_PORT', 8080, 0, 65535),
      bodyLimitBytes: r.int('LOGSTREAM_API_BODY_LIMIT_BYTES', 16_384, 1024, 10_485_760),
      trustProxy: trustProxy(r),
    },
    rateLimit: {
      limit: r.int('LOGSTREAM_API_RATE_LIMIT', 300, 1, 1_000_000),
      principalLimit: r.int('LOGSTREAM_API_PRINCIPAL_RATE_LIMIT', 300, 1, 1_000_000),
      windowMs: r.int('LOGSTREAM_API_RATE_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    auth: { adminTokens: adminTokens(r, environment, host) },
    credentials: {
      caCertFile,
      caKeyFile: path.resolve(
        r.string('LOGSTREAM_CA_KEY_FILE', path.join(pkiDir, 'customer-ca.key')),
      ),
      brokerCaFile: path.resolve(r.string('LOGSTREAM_BROKER_CA_FILE', path.join(pkiDir, 'ca.pem'))),
      validityDays: r.int('LOGSTREAM_CREDENTIAL_VALIDITY_DAYS', 365, 1, 3650),
      maxActivePerCustomer: r.int('LOGSTREAM_MAX_ACTIVE_CREDENTIALS', 10, 1, 1000),
      issueRatePerMinute: r.int('LOGSTREAM_CREDENTIAL_ISSUE_RATE', 10, 1, 100_000),
      issueConcurrency: r.int('LOGSTREAM_CREDENTIAL_ISSUE_CONCURRENCY', 8, 1, 1000),
      // One core stays free for the API's own thread.
      workers: r.int(
        'LOGSTREAM_CREDENTIAL_WORKERS',
        Math.max(1, availableParallelism() - 1),
        1,
        64,
      ),
      retentionDays: r.int('LOGSTREAM_CREDENTIAL_RETENTION_DAYS', 30, 0, 3650),
    },
    customerBootstrap: kafka?.customerBootstrap ?? [],
    quotaDefaults: readQuotaDefaults(r),
    archiveAllowHttp: r.bool(
      'LOGSTREAM_ARCHIVE_ALLOW_HTTP_ENDPOINTS',
      environment !== 'production',
    ),
    logLevel: r.oneOf('LOGSTREAM_LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  loadSection(problems, () => r.done(undefined));
  if (
    problems.length > 0 ||
    database === undefined ||
    kafka === undefined ||
    panel === undefined ||
    archiveKey === undefined ||
    alerts === undefined
  ) {
    // Sections share some variables (LOGSTREAM_ENV): name each problem once.
    throw new ConfigError([...new Set(problems)]);
  }
  const { archiveAllowHttp, ...rest } = config;
  return {
    ...rest,
    kafka,
    panel,
    database,
    alerts,
    archive: { secretKey: archiveKey, allowHttpEndpoints: archiveAllowHttp },
  };
}
