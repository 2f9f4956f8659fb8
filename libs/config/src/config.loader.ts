import * as path from 'node:path';
import { type Env, EnvReader } from './env.reader';

/**
 * The one place that reads the process environment. Each app loads the sections it needs at
 * start and passes the typed result on; nothing else touches `process.env`.
 */

/** The repository's root folder, from source and from `dist/` alike. */
export const REPO_ROOT = path.resolve(__dirname, '../../..').replace(/\/dist$/, '');

export interface PathsConfig {
  /** Where the project's scripts keep generated and fetched state (git-ignored). */
  dataDir: string;
  /** Development PKI: the CA and the platform's own certificates. */
  pkiDir: string;
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface KafkaConfig {
  /** Brokers for the platform's own components (loopback PLAINTEXT in development). */
  brokers: string[];
  /** When set, the platform's components connect with this client certificate over SSL. */
  tls?: TlsFiles;
  /** The SSL listener that customers and remote edge nodes reach, as given to customers. */
  customerBootstrap: string[];
  clientId: string;
}

export interface DatabaseConfig {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

export function processEnv(): Env {
  return process.env;
}

export function loadPathsConfig(env: Env = processEnv()): PathsConfig {
  const r = new EnvReader(env);
  const dataDir = path.resolve(r.string('LOGSTREAM_DATA_DIR', path.join(REPO_ROOT, '.data')));
  const pkiDir = path.resolve(r.string('LOGSTREAM_PKI_DIR', path.join(dataDir, 'pki')));
  return r.done({ dataDir, pkiDir });
}

/** The local broker's first port: PLAINTEXT on it, SSL on it + 2. */
export function readKafkaPortBase(r: EnvReader): number {
  return r.int('LOGSTREAM_KAFKA_PORT_BASE', 19092, 1024, 65000);
}

/** The SSL listener as customers and remote edge nodes reach it. */
export function readCustomerBootstrap(r: EnvReader, portBase: number): string[] {
  return r.brokers('LOGSTREAM_KAFKA_SSL_BOOTSTRAP', `localhost:${portBase + 2}`);
}

export function loadKafkaConfig(clientId: string, env: Env = processEnv()): KafkaConfig {
  const r = new EnvReader(env);
  const portBase = readKafkaPortBase(r);
  const brokers = r.brokers('LOGSTREAM_KAFKA_BROKERS', `127.0.0.1:${portBase}`);
  const customerBootstrap = readCustomerBootstrap(r, portBase);
  const caFile = r.optionalString('LOGSTREAM_KAFKA_CA_FILE');
  const certFile = r.optionalString('LOGSTREAM_KAFKA_CERT_FILE');
  const keyFile = r.optionalString('LOGSTREAM_KAFKA_KEY_FILE');
  const tlsSet = [caFile, certFile, keyFile].filter((v) => v !== undefined).length;
  if (tlsSet !== 0 && tlsSet !== 3) {
    r.problem(
      'LOGSTREAM_KAFKA_CA_FILE, LOGSTREAM_KAFKA_CERT_FILE and LOGSTREAM_KAFKA_KEY_FILE go together: set all three or none',
    );
  }
  const tls = caFile && certFile && keyFile ? { caFile, certFile, keyFile } : undefined;
  return r.done({ brokers, tls, customerBootstrap, clientId });
}

export function loadDatabaseConfig(env: Env = processEnv()): DatabaseConfig {
  const r = new EnvReader(env);
  const url = r.url('LOGSTREAM_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/logstream', [
    'postgres:',
    'postgresql:',
  ]);
  const poolSize = r.int('LOGSTREAM_DATABASE_POOL_SIZE', 10, 1, 200);
  const connectTimeoutMs = r.int('LOGSTREAM_DATABASE_CONNECT_TIMEOUT_MS', 3000, 100, 60_000);
  const statementTimeoutMs = r.int('LOGSTREAM_DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000);
  return r.done({ url, poolSize, connectTimeoutMs, statementTimeoutMs });
}
