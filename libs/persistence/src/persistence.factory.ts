import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@logstream/config';
import { CredentialReservationEntity } from './entities/credential-reservation.entity';
import { ArchiveChunkEntity } from './entities/archive-chunk.entity';
import { AlertDeliveryEntity } from './entities/alert-delivery.entity';
import { AlertStateEntity } from './entities/alert-state.entity';
import { AlertSubscriptionEntity } from './entities/alert-subscription.entity';
import { CredentialEntity } from './entities/credential.entity';
import { CustomerTokenEntity } from './entities/customer-token.entity';
import { CustomerArchiveEntity } from './entities/customer-archive.entity';
import { CustomerEntity } from './entities/customer.entity';
import { EdgeNodeEntity } from './entities/edge-node.entity';
import { HealthRollupEntity } from './entities/health-rollup.entity';
import { HealthSnapshotEntity } from './entities/health-snapshot.entity';
import { PanelSessionEntity } from './entities/panel-session.entity';
import { StatsRollupEntity } from './entities/stats-rollup.entity';
import { InitialSchema1795443300000 } from './migrations/1795443300000-initial-schema.migration';
import { CustomerArchives1796192836864 } from './migrations/1796192836864-customer-archives.migration';
import { PanelSessions1796192142293 } from './migrations/1796192142293-panel-sessions.migration';
import { TokenExpiryCredentialReservations1796192206406 } from './migrations/1796192206406-token-expiry-credential-reservations.migration';
import { DeliveryHealth1796192721697 } from './migrations/1796192721697-delivery-health.migration';
import { ProvisionerLock1796193650817 } from './migrations/1796193650817-provisioner-lock.migration';
import { StatsRollups1796195546947 } from './migrations/1796195546947-stats-rollups.migration';
import { ArchiveFailingSince1796198400000 } from './migrations/1796198400000-archive-failing-since.migration';
import { EdgeNodes1796231056472 } from './migrations/1796231056472-edge-nodes.migration';
import { CustomerQuotas1796240000000 } from './migrations/1796240000000-customer-quotas.migration';

export const ENTITIES = [
  CustomerEntity,
  CredentialEntity,
  CustomerTokenEntity,
  CustomerArchiveEntity,
  ArchiveChunkEntity,
  PanelSessionEntity,
  HealthSnapshotEntity,
  HealthRollupEntity,
  AlertSubscriptionEntity,
  AlertStateEntity,
  AlertDeliveryEntity,
  StatsRollupEntity,
  CredentialReservationEntity,
  EdgeNodeEntity,
];
export const MIGRATIONS = [
  InitialSchema1795443300000,
  PanelSessions1796192142293,
  TokenExpiryCredentialReservations1796192206406,
  DeliveryHealth1796192721697,
  CustomerArchives1796192836864,
  ProvisionerLock1796193650817,
  StatsRollups1796195546947,
  ArchiveFailingSince1796198400000,
  EdgeNodes1796231056472,
  CustomerQuotas1796240000000,
];

/**
 * The one typed factory for TypeORM options: the Nest TypeORM module of each app and the
 * migrations DataSource (`npm run migration:*`) both build from it, so they cannot drift.
 */
export function typeOrmOptions(db: DatabaseConfig, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'migration'],
    extra: {
      max: db.poolSize,
      connectionTimeoutMillis: db.connectTimeoutMs,
      // A statement stuck behind a lock must not hang a request forever.
      statement_timeout: db.statementTimeoutMs,
    },
  };
}
