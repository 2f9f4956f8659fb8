import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { CustomerEntity } from './customer.entity';

/** The health collector's latest answer for one customer, as the API serves it. */
@Entity('health_snapshots')
export class HealthSnapshotEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_health_snapshots_customer' })
  customer?: CustomerEntity;

  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;

  @Column({ type: 'jsonb' })
  body!: unknown;
}
