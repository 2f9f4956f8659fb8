import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArchiveModule } from '@logstream/archive';
import type { ControlApiConfig } from '@logstream/config';
import type { Logger } from '@logstream/observability';
import { ControlModule, type SigningAuthority } from '@logstream/control';
import { HealthApiModule } from '@logstream/health';
import { loadPanelAssets, PanelModule } from '@logstream/panel';
import { typeOrmOptions } from '@logstream/persistence';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { ArchiveController } from './controllers/archive.controller';
import { AlertsController } from './controllers/alerts.controller';
import { CredentialsController } from './controllers/credentials.controller';
import { CustomersController } from './controllers/customers.controller';
import { DeliveryHealthController } from './controllers/delivery-health.controller';
import { HealthController } from './controllers/health.controller';
import { QuotaController } from './controllers/quota.controller';
import { StatsController } from './controllers/stats.controller';
import { StreamingController } from './controllers/streaming.controller';
import { TokensController } from './controllers/tokens.controller';
import { PANEL_ASSETS, PanelAssetsController } from './panel/panel-assets.controller';
import { PanelController } from './panel/panel.controller';
import { ErrorBodyFilter } from './http/error-body.filter';
import {
  ClientRateLimitGuard,
  PrincipalRateLimitGuard,
  RATE_LIMITS,
} from './http/rate-limit.guard';
import { StrictValidationPipe } from './http/strict-validation.pipe';
import { HttpMetrics } from './observability/http-metrics.service';
import { LOGGER } from './observability/nest-logger.adapter';
import { TypeOrmJsonLogger } from './observability/typeorm-json.logger';

export interface AppDependencies {
  config: ControlApiConfig;
  signing: SigningAuthority;
  logger: Logger;
  metrics: HttpMetrics;
}

@Module({})
export class AppModule {
  static forRoot({ config, signing, logger, metrics }: AppDependencies): DynamicModule {
    // One instance each shared with the panel's module, so both see the same domain services.
    const control = ControlModule.forRoot({
      adminTokens: config.auth.adminTokens,
      customerBootstrap: config.customerBootstrap,
      quotaDefaults: config.quotaDefaults,
      credentials: {
        ca: signing.ca,
        brokerCaPem: signing.brokerCaPem,
        validityDays: config.credentials.validityDays,
        maxActivePerCustomer: config.credentials.maxActivePerCustomer,
        issueRatePerMinute: config.credentials.issueRatePerMinute,
        issueConcurrency: config.credentials.issueConcurrency,
        workers: config.credentials.workers,
        retentionDays: config.credentials.retentionDays,
      },
      reportError: (message, err) =>
        logger.warn(message, { error: err instanceof Error ? err.message : String(err) }),
    });
    const archive = ArchiveModule.forRoot({
      secretKey: config.archive.secretKey.key,
      allowHttpEndpoints: config.archive.allowHttpEndpoints,
    });
    const health = HealthApiModule.forRoot(config.alerts);
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...typeOrmOptions(config.database, 'logstream-control-api'),
          logger: new TypeOrmJsonLogger(logger),
          // At start only: a database still booting gets a few seconds before the API gives up.
          retryAttempts: 5,
          retryDelay: 2000,
        }),
        control,
        PanelModule.forRoot(
          {
            ...config.panel,
            adminTokens: config.auth.adminTokens,
            maxActiveCredentials: config.credentials.maxActivePerCustomer,
            customerBootstrap: config.customerBootstrap,
            kafka: config.kafka,
          },
          control,
          archive,
          health,
        ),
        archive,
        health,
      ],
      controllers: [
        CustomersController,
        StreamingController,
        QuotaController,
        CredentialsController,
        TokensController,
        HealthController,
        DeliveryHealthController,
        AlertsController,
        StatsController,
        ArchiveController,
        PanelController,
        PanelAssetsController,
      ],
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: HttpMetrics, useValue: metrics },
        { provide: PANEL_ASSETS, useValue: loadPanelAssets() },
        { provide: RATE_LIMITS, useValue: config.rateLimit },
        // Guards run in this order: the address limit also covers token guessing; the
        // principal limit needs to know who is asking.
        { provide: APP_GUARD, useClass: ClientRateLimitGuard },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: PrincipalRateLimitGuard },
        { provide: APP_PIPE, useClass: StrictValidationPipe },
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
      ],
    };
  }
}
