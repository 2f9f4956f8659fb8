import { type DynamicModule, Module } from '@nestjs/common';
import { LiveTailService } from './live-tail.service';
import { PANEL_OPTIONS, type PanelOptions } from './panel-options.types';
import { PanelPageService } from './panel-page.service';
import { PanelSessionService } from './panel-session.service';
import { PanelTailService } from './panel-tail.service';

const SERVICES = [PanelSessionService, PanelPageService, LiveTailService, PanelTailService];

/**
 * The customer panel's services. Needs the application's ControlModule, ArchiveModule and HealthApiModule (for
 * the domain services it shares with the REST API) and a TypeORM DataSource.
 */
@Module({})
export class PanelModule {
  static forRoot(
    options: PanelOptions,
    control: DynamicModule,
    archive: DynamicModule,
    health: DynamicModule,
  ): DynamicModule {
    return {
      module: PanelModule,
      imports: [control, archive, health],
      providers: [{ provide: PANEL_OPTIONS, useValue: options }, ...SERVICES],
      exports: SERVICES,
    };
  }
}
