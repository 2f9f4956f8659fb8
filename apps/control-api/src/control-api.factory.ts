import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ControlApiConfig } from '@logstream/config';
import { createLogger, type Logger, type LogSink } from '@logstream/observability';
import { loadSigningAuthority } from '@logstream/control';
import { AppModule } from './app.module';
import { bodyParserErrors, requireJsonBodies } from './http/body-parsing.middleware';
import { HttpMetrics } from './observability/http-metrics.service';
import { NestLoggerAdapter } from './observability/nest-logger.adapter';
import { requestContext } from './observability/request-context.middleware';
import { setupOpenApi } from './openapi.factory';
import { panelSecurityHeaders } from './panel/panel-security.middleware';

export interface ControlApi {
  app: NestExpressApplication;
  logger: Logger;
}

/**
 * Builds the control API, ready to listen: the same for `main.ts` and for the end-to-end
 * tests, which pass their own configuration object (and a log sink) instead of the environment.
 */
export async function createControlApi(
  config: ControlApiConfig,
  options: { logSink?: LogSink } = {},
): Promise<ControlApi> {
  const logger = createLogger({
    app: 'control-api',
    level: config.logLevel,
    sink: options.logSink,
  });
  const metrics = new HttpMetrics();
  const signing = await loadSigningAuthority(config.credentials);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, signing, logger, metrics }),
    { bodyParser: false, logger: new NestLoggerAdapter(logger), abortOnError: false },
  );
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // Express order: request id and metrics first, so they cover body errors too.
  app.use(requestContext(logger, metrics));
  app.use('/panel', panelSecurityHeaders());
  app.use(requireJsonBodies());
  app.useBodyParser('json', { limit: config.http.bodyLimitBytes, strict: true });
  // The panel's forms (requireJsonBodies lets form bodies through under /panel only).
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimitBytes, extended: false });
  app.use(bodyParserErrors(config.http.bodyLimitBytes));
  setupOpenApi(app);
  await app.init();
  return { app, logger };
}
