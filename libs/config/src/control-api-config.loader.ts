import * as path from 'node:path';
import { ConfigError } from './config.errors';
import {
  type DatabaseConfig,
  type KafkaConfig,
  loadDatabaseConfig,
  loadKafkaConfig,
  loadPathsConfig,
  processEnv,
} from './config.loader';
import { type Env, EnvReader } from './env.reader';
import { type AlertsConfig, loadAlertsConfig } from './health-config.loader';
import { loadPanelConfig, type PanelConfig } from './panel-config.loader';

export const DEPLOYMENT_ENVIRONMENTS = ['development', 'production'] as const;
export type DeploymentEnvironment = (typeof DEPLOYMENT_ENVIRONMENTS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The admin token used when LOGSTREAM_ADMIN_TOKENS is unset outside production. Documented in
 * the README; refused in production.
 */
export const DEVELOPMENT_ADMIN_TOKEN = 'logstream-dev-admin-token';
const MIN_PRODUCTION_TOKEN_LENGTH = 32;

export interface ControlApiConfig {
  environment: DeploymentEnvironment;
  http: {
    host: string;
    port: number;
    /** Largest request body accepted; bigger ones answer 413. */
    bodyLimitBytes: number;
    /** Honour X-Forwarded-For for the client address (behind a reverse proxy only). */
    trustProxy: boolean;
  };
  /** Requests per client address per window; above it the API answers 429. */
  rateLimit: { limit: number; windowMs: number };
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
  };
  /** The SSL listener's bootstrap servers as given to customers. */
  customerBootstrap: string[];
  /** The platform's own connection to Kafka: the panel's live tail reads through it. */
  kafka: KafkaConfig;
  panel: PanelConfig;
  database: DatabaseConfig;
  /** Alert webhooks: the key of the stored signing secrets, development allowances. */
  alerts: AlertsConfig;
  logLevel: LogLevel;
}

/** Runs one section loader, collecting its problems instead of stopping at the first section. */
function section<T>(problems: string[], load: () => T): T | undefined {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      problems.push(...err.problems);
      return undefined;
    }
    throw err;
  }
}

function adminTokens(r: EnvReader, environment: DeploymentEnvironment): string[] {
  const raw = r.optionalString('LOGSTREAM_ADMIN_TOKENS');
  if (raw === undefined) {
    if (environment === 'production') {
      r.problem('LOGSTREAM_ADMIN_TOKENS is required in production (comma-separated tokens)');
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
  if (environment === 'production') {
    if (tokens.includes(DEVELOPMENT_ADMIN_TOKEN)) {
      r.problem('LOGSTREAM_ADMIN_TOKENS must not contain the development token in production');
    }
    if (tokens.some((t) => t.length < MIN_PRODUCTION_TOKEN_LENGTH)) {
      r.problem(
        `LOGSTREAM_ADMIN_TOKENS: each token must be at least ${MIN_PRODUCTION_TOKEN_LENGTH} characters in production`,
      );
    }
  }
  return tokens;
}

/** Everything the control API needs, validated at once: every problem is reported together. */
export function loadControlApiConfig(env: Env = processEnv()): ControlApiConfig {
  const problems: string[] = [];
  const paths = section(problems, () => loadPathsConfig(env));
  const database = section(problems, () => loadDatabaseConfig(env));
  const kafka = section(problems, () => loadKafkaConfig('logstream-control-api', env));
  const alerts = section(problems, () => loadAlertsConfig(env));
  const panel = section(problems, () => loadPanelConfig(env));
  const r = new EnvReader(env);
  const environment = r.oneOf('LOGSTREAM_ENV', DEPLOYMENT_ENVIRONMENTS, 'development');
  const pkiDir = paths?.pkiDir ?? '';
  const caCertFile = path.resolve(
    r.string('LOGSTREAM_CA_CERT_FILE', path.join(pkiDir, 'customer-ca.pem')),
  );
  const config = {
    environment,
    http: {
      host: r.string('LOGSTREAM_API_HOST', '127.0.0.1'),
      port: r.int('LOGSTREAM_API_PORT', 8080, 0, 65535),
      bodyLimitBytes: r.int('LOGSTREAM_API_BODY_LIMIT_BYTES', 16_384, 1024, 10_485_760),
      trustProxy: r.bool('LOGSTREAM_API_TRUST_PROXY', false),
    },
    rateLimit: {
      limit: r.int('LOGSTREAM_API_RATE_LIMIT', 300, 1, 1_000_000),
      windowMs: r.int('LOGSTREAM_API_RATE_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    auth: { adminTokens: adminTokens(r, environment) },
    credentials: {
      caCertFile,
      caKeyFile: path.resolve(
        r.string('LOGSTREAM_CA_KEY_FILE', path.join(pkiDir, 'customer-ca.key')),
      ),
      brokerCaFile: path.resolve(r.string('LOGSTREAM_BROKER_CA_FILE', path.join(pkiDir, 'ca.pem'))),
      validityDays: r.int('LOGSTREAM_CREDENTIAL_VALIDITY_DAYS', 365, 1, 3650),
      maxActivePerCustomer: r.int('LOGSTREAM_MAX_ACTIVE_CREDENTIALS', 10, 1, 1000),
    },
    customerBootstrap: kafka?.customerBootstrap ?? [],
    logLevel: r.oneOf('LOGSTREAM_LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  section(problems, () => r.done(undefined));
  if (
    problems.length > 0 ||
    database === undefined ||
    kafka === undefined ||
    panel === undefined ||
    alerts === undefined
  ) {
    throw new ConfigError(problems);
  }
  return { ...config, kafka, panel, database, alerts };
}
