import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';
import type { CustomerEntity } from './customer.entity';

/** One customer's delivery health over one minute (kept 30 days by default). */
@Entity('health_rollups')
export class HealthRollupEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_health_rollups_customer' })
  customer?: CustomerEntity;

  @Index('IDX_health_rollups_minute')
  @PrimaryColumn({ type: 'timestamptz' })
  minute!: Date;

  @Column({ name: 'produced_lines', type: 'bigint', default: 0, transformer: bigintTransformer })
  producedLines!: number;

  @Column({ name: 'produced_bytes', type: 'bigint', default: 0, transformer: bigintTransformer })
  producedBytes!: number;

  @Column({ name: 'max_lag_lines', type: 'bigint', default: 0, transformer: bigintTransformer })
  maxLagLines!: number;

  @Column({ name: 'max_lag_seconds', type: 'double precision', nullable: true })
  maxLagSeconds!: number | null;

  @Column({ name: 'lost_lines', type: 'bigint', default: 0, transformer: bigintTransformer })
  lostLines!: number;

  @Column({ name: 'edge_inactive', type: 'bigint', default: 0, transformer: bigintTransformer })
  edgeInactive!: number;

  @Column({ name: 'edge_oversize', type: 'bigint', default: 0, transformer: bigintTransformer })
  edgeOversize!: number;
}
