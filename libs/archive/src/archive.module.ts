import { type DynamicModule, Module } from '@nestjs/common';
import {
  ARCHIVE_SETTINGS_OPTIONS,
  type ArchiveSettingsOptions,
  ArchiveSettingsService,
} from './archive-settings.service';

/** Archive settings for the control API. Needs a TypeORM DataSource in the application. */
@Module({})
export class ArchiveModule {
  static forRoot(options: ArchiveSettingsOptions): DynamicModule {
    return {
      module: ArchiveModule,
      providers: [{ provide: ARCHIVE_SETTINGS_OPTIONS, useValue: options }, ArchiveSettingsService],
      exports: [ArchiveSettingsService],
    };
  }
}
