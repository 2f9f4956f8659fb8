import { randomBytes } from 'node:crypto';
import { AppProcess } from '../../test/support/app-process';
import { createScratchDatabase, type ScratchDatabase } from '../../test/support/database';
import { freePort } from '../../test/support/free-port';
import { progress } from './bench-report';
import { type HttpTarget, keepAliveTarget } from './open-loop.service';

export interface BenchApi {
  api: AppProcess;
  /** The API's process id, to read its CPU and memory. */
  pid: number;
  port: number;
  adminToken: string;
  target: HttpTarget;
  db: ScratchDatabase;
  /** Stops the API and drops its database; a drop that fails is reported, not thrown. */
  close(): Promise<void>;
}

/**
 * A control API of the benchmark's own: a scratch database, a free port, a random admin token,
 * the request rate limits out of the way (a benchmark measures the API, not its limiter), and a
 * keep-alive client of `maxSockets`. `env` adds or overrides settings.
 */
export async function startBenchApi(
  name: string,
  maxSockets: number,
  env: Record<string, string> = {},
): Promise<BenchApi> {
  const db = await createScratchDatabase(name);
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const api = new AppProcess('control-api', {
    LOGSTREAM_API_HOST: '127.0.0.1',
    LOGSTREAM_API_PORT: String(port),
    LOGSTREAM_DATABASE_URL: db.url,
    LOGSTREAM_ADMIN_TOKENS: adminToken,
    LOGSTREAM_API_RATE_LIMIT: '1000000',
    LOGSTREAM_API_PRINCIPAL_RATE_LIMIT: '1000000',
    LOGSTREAM_LOG_LEVEL: 'info',
    ...env,
  });
  const target = keepAliveTarget('127.0.0.1', port, maxSockets);
  const close = async (): Promise<void> => {
    target.agent.destroy();
    await api.stop();
    await db.drop().catch((err: unknown) => progress(`could not drop ${db.url}: ${String(err)}`));
  };
  try {
    await api.waitForLog((l) => l.msg === 'control API listening', 'the API to listen');
    if (api.pid === undefined) throw new Error('the API process has no pid');
    return { api, pid: api.pid, port, adminToken, target, db, close };
  } catch (err) {
    await close();
    throw err;
  }
}
