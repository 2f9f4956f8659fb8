import * as path from 'node:path';
import { ConfigError, loadSection } from './config.errors';
import {
  type DatabaseConfig,
  loadDatabaseConfig,
  loadPathsConfig,
  processEnv,
  readCustomerBootstrap,
  readKafkaPortBase,
} from './config.loader';
import { type Env, EnvReader } from './env.reader';

/**
 * The operator's edge-node CLI (`apps/edge-admin`): it signs node certificates with the
 * platform root, so it runs where operators hold that key, never inside the control API.
 */
export interface EdgeAdminConfig {
  database: DatabaseConfig;
  /** The CA that signs edge node certificates: the platform root (or a CA below it that is not name-constrained). */
  platformCaCertFile: string;
  platformCaKeyFile: string;
  /** The CA nodes trust to verify the broker, written to each bundle as ca.pem. */
  brokerCaFile: string;
  /** The SSL listener as edge nodes reach it, written to each node's edge.env. */
  edgeBootstrap: string[];
  validityDays: number;
}

/** Everything the edge-admin CLI needs, every problem reported together. */
export function loadEdgeAdminConfig(env: Env = processEnv()): EdgeAdminConfig {
  const problems: string[] = [];
  const paths = loadSection(problems, () => loadPathsConfig(env));
  const database = loadSection(problems, () => loadDatabaseConfig(env));
  const r = new EnvReader(env);
  const pkiDir = paths?.pkiDir ?? '';
  const file = (name: string, fallback: string) =>
    path.resolve(r.string(name, path.join(pkiDir, fallback)));
  const config = {
    platformCaCertFile: file('LOGSTREAM_PLATFORM_CA_CERT_FILE', 'ca.pem'),
    platformCaKeyFile: file('LOGSTREAM_PLATFORM_CA_KEY_FILE', 'ca.key'),
    brokerCaFile: file('LOGSTREAM_BROKER_CA_FILE', 'ca.pem'),
    validityDays: r.int('LOGSTREAM_ENROLL_VALIDITY_DAYS', 365, 1, 3650),
    edgeBootstrap: readCustomerBootstrap(r, readKafkaPortBase(r)),
  };
  loadSection(problems, () => r.done(undefined));
  if (problems.length > 0 || database === undefined) {
    throw new ConfigError([...new Set(problems)]);
  }
  return { ...config, database };
}
