import { ConfigError, DEVELOPMENT_ADMIN_TOKEN, loadControlApiConfig } from '@logstream/config';
import { databaseTrouble } from '@logstream/persistence';
import { createControlApi } from './control-api.factory';

const HELP = `Usage: node dist/apps/control-api/src/main.js   (npm run start:api)

The Logstream control API (REST, /v1; OpenAPI at /docs). Configured by environment:
  LOGSTREAM_API_HOST, LOGSTREAM_API_PORT      listen address (127.0.0.1:8080)
  LOGSTREAM_DATABASE_URL                      PostgreSQL (postgres://postgres@127.0.0.1:5432/logstream)
  LOGSTREAM_ADMIN_TOKENS                      comma-separated admin tokens, 32+ characters each (required)
  LOGSTREAM_ENV                               production | development (production); development on a
                                              loopback host allows the development token
  LOGSTREAM_API_TRUST_PROXY                   false | proxies in front (a count) | their addresses (false)
  LOGSTREAM_CA_CERT_FILE, LOGSTREAM_CA_KEY_FILE  CA signing customer certificates ($LOGSTREAM_PKI_DIR/ca.pem, ca.key)
  LOGSTREAM_KAFKA_SSL_BOOTSTRAP               bootstrap servers given to customers (localhost:19094)
  LOGSTREAM_API_RATE_LIMIT, LOGSTREAM_API_BODY_LIMIT_BYTES, LOGSTREAM_LOG_LEVEL, ...
See docs/control-api.md for every variable. Run migrations first: npm run migration:run`;

/** Requests that take longer than this (slow or stalled clients) are cut. */
const REQUEST_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const config = loadControlApiConfig();
  const { app, logger } = await createControlApi(config);
  app.getHttpServer().requestTimeout = REQUEST_TIMEOUT_MS;
  // SIGTERM/SIGINT close the server and the database pool before exiting.
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  if (config.auth.adminTokens.includes(DEVELOPMENT_ADMIN_TOKEN)) {
    logger.event('warn', 'the development admin token is accepted; set LOGSTREAM_ADMIN_TOKENS');
  }
  logger.event('info', 'control API listening', {
    url: await app.getUrl(),
    environment: config.environment,
  });
}

function explain(err: unknown): string {
  if (err instanceof ConfigError || !(err instanceof Error)) return String(err);
  if (databaseTrouble(err) !== undefined) {
    return `cannot start: the database (LOGSTREAM_DATABASE_URL) is unreachable: ${err.message}`;
  }
  return err.message;
}

main().catch((err: unknown) => {
  console.error(explain(err));
  process.exitCode = 1;
});
