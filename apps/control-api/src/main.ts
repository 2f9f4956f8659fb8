import { DEVELOPMENT_ADMIN_TOKEN, loadControlApiConfig } from '@logstream/config';
import { runMain, untilAborted } from '@logstream/observability';
import { databaseTrouble } from '@logstream/persistence';
import { createControlApi } from './control-api.factory';

const HELP = `Usage: node dist/apps/control-api/src/main.js   (npm run start:api)

The Logstream control API (REST, /v1; OpenAPI at /docs). Configured by environment:
  LOGSTREAM_API_HOST, LOGSTREAM_API_PORT      listen address (127.0.0.1:8080)
  LOGSTREAM_DATABASE_URL                      PostgreSQL (postgres://postgres@127.0.0.1:5432/logstream)
  LOGSTREAM_ADMIN_TOKENS                      comma-separated admin tokens (required in production)
  LOGSTREAM_ENV                               development | production (development)
  LOGSTREAM_CA_CERT_FILE, LOGSTREAM_CA_KEY_FILE  customer-issuing CA ($LOGSTREAM_PKI_DIR/customer-ca.pem, customer-ca.key)
  LOGSTREAM_KAFKA_SSL_BOOTSTRAP               bootstrap servers given to customers (localhost:19094)
  LOGSTREAM_API_RATE_LIMIT, LOGSTREAM_API_BODY_LIMIT_BYTES, LOGSTREAM_LOG_LEVEL, ...
See README.md, section "Control API", for every variable. Run migrations first: npm run migration:run`;

/** Requests that take longer than this (slow or stalled clients) are cut. */
const REQUEST_TIMEOUT_MS = 30_000;

async function main(signal: AbortSignal): Promise<number> {
  const config = loadControlApiConfig();
  const { app, logger } = await createControlApi(config).catch((err: unknown) => {
    throw explain(err);
  });
  app.getHttpServer().requestTimeout = REQUEST_TIMEOUT_MS;
  await app.listen(config.http.port, config.http.host);
  if (config.auth.adminTokens.includes(DEVELOPMENT_ADMIN_TOKEN)) {
    logger.warn('the development admin token is accepted; set LOGSTREAM_ADMIN_TOKENS');
  }
  logger.info('control API listening', {
    url: await app.getUrl(),
    environment: config.environment,
  });
  await untilAborted(signal);
  // Closes the server (in-flight requests finish) and the database pool.
  await app.close();
  return 0;
}

/** A start that fails on the database says so in words; anything else as it is. */
function explain(err: unknown): unknown {
  if (err instanceof Error && databaseTrouble(err) !== undefined) {
    return new Error(
      `cannot start: the database (LOGSTREAM_DATABASE_URL) is unreachable: ${err.message}`,
    );
  }
  return err;
}

runMain({ app: 'control-api', help: HELP }, (ctx) => main(ctx.signal));
