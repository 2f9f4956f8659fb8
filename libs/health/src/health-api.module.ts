import { type DynamicModule, Module } from '@nestjs/common';
import type { AlertsConfig } from '@logstream/config';
import { ALERTS_CONFIG, AlertsService } from './alerts.service';
import { HealthQueryService } from './health-query.service';

/** The control API's side of delivery health: reads snapshots and series, manages alerts. */
@Module({})
export class HealthApiModule {
  static forRoot(alerts: AlertsConfig): DynamicModule {
    return {
      module: HealthApiModule,
      providers: [{ provide: ALERTS_CONFIG, useValue: alerts }, AlertsService, HealthQueryService],
      exports: [AlertsService, HealthQueryService],
    };
  }
}
