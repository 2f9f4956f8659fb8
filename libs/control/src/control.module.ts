import { type DynamicModule, Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { CONTROL_OPTIONS, type ControlOptions } from './control.types';
import { CredentialRetentionService } from './credential-retention.service';
import { CredentialsService } from './credentials.service';
import { CustomersService } from './customers.service';
import { DatabaseHealthService } from './database-health.service';
import { QuotaService } from './quota.service';
import { StatsService } from './stats.service';
import { StreamingService } from './streaming.service';
import { TokensService } from './tokens.service';

const SERVICES = [
  AuthService,
  CredentialRetentionService,
  CredentialsService,
  CustomersService,
  DatabaseHealthService,
  QuotaService,
  StatsService,
  StreamingService,
  TokensService,
];

/**
 * The control domain: customers, the streaming switch, credentials and tokens. Needs a
 * TypeORM DataSource in the application (TypeOrmModule.forRoot with `typeOrmOptions`).
 */
@Module({})
export class ControlModule {
  static forRoot(options: ControlOptions): DynamicModule {
    return {
      module: ControlModule,
      providers: [{ provide: CONTROL_OPTIONS, useValue: options }, ...SERVICES],
      exports: SERVICES,
    };
  }
}
