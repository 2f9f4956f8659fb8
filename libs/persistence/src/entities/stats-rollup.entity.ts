import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from './bigint.transformer';
import type { CustomerEntity } from './customer.entity';

/**
 * One customer's one-minute statistics window (the aggregator's `1m` record without its
 * resumption state). Replaced whole on every write, so a repeated write is harmless.
 */
@Entity('stats_rollups')
export class StatsRollupEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_stats_rollups_customer' })
  customer?: CustomerEntity;

  @Index('IDX_stats_rollups_window')
  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'boolean' })
  final!: boolean;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  requests!: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  bytes!: number;

  @Column({ type: 'jsonb' })
  status!: Record<string, number>;

  @Column({ name: 'status_class', type: 'jsonb' })
  statusClass!: Record<string, number>;

  @Column({ name: 'unique_visitors', type: 'integer' })
  uniqueVisitors!: number;

  /** The window's HyperLogLog registers (deflated, base64), so ranges merge exactly. */
  @Column({ type: 'text' })
  hll!: string;

  @Column({ name: 'hll_precision', type: 'smallint' })
  hllPrecision!: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  late!: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  unparsed!: number;

  /** The reported top lists: `{ hosts, paths, clientIps, clientIps4xx }`, each `{ entries, maxError }`. */
  @Column({ type: 'jsonb' })
  top!: Record<
    string,
    { entries: Array<{ key: string; count: number; error: number }>; maxError: number }
  >;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
