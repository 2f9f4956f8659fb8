import * as path from 'node:path';
import { loadPathsConfig, processEnv } from './config.loader';
import { type Env, EnvReader } from './env.reader';

/**
 * The local S3-compatible server that scripts/s3.sh runs (s3proxy) for development, tests and
 * benchmarks: the same variables and defaults as the script.
 */
export interface S3DevConfig {
  port: number;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Where s3proxy keeps objects as files: <dataDir>/<bucket>/<key>. */
  dataDir: string;
  /** How long the outage tests stop the server (60 s once for the record; CI keeps it short). */
  testOutageSeconds: number;
}

export function loadS3DevConfig(env: Env = processEnv()): S3DevConfig {
  const r = new EnvReader(env);
  const port = r.int('LOGSTREAM_S3_PORT', 19600, 1024, 65535);
  const { dataDir } = loadPathsConfig(env);
  return r.done({
    port,
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: r.string('LOGSTREAM_S3_ACCESS_KEY', 'logstream-dev'),
    secretAccessKey: r.string('LOGSTREAM_S3_SECRET_KEY', 'logstream-dev-secret'),
    region: 'us-east-1',
    dataDir: path.join(dataDir, 's3proxy', `port-${port}`, 'data'),
    testOutageSeconds: r.int('LOGSTREAM_TEST_S3_OUTAGE_S', 60, 1, 3600),
  });
}
