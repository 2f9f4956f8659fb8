import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { CustomerEntity } from './customer.entity';

/**
 * One archive object's boundary: the offsets of a (customer, partition) it holds. The first
 * archiver to seal a chunk starting at `firstOffset` records it; any later owner of the
 * partition (after a crash, restart or rebalance) cuts exactly there, so a re-upload writes the
 * same object key with the same bytes instead of an overlapping object.
 */
@Entity('archive_chunks')
export class ArchiveChunkEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @PrimaryColumn({ type: 'integer' })
  partition!: number;

  /** Kafka offsets are below 2^53 in practice; kept as strings to be exact anyway. */
  @PrimaryColumn({ name: 'first_offset', type: 'bigint' })
  firstOffset!: string;

  @Column({ name: 'last_offset', type: 'bigint' })
  lastOffset!: string;

  @Column({ name: 'object_key', type: 'varchar', length: 1024 })
  objectKey!: string;

  @Column({ type: 'integer' })
  lines!: number;

  @Column({ type: 'bigint' })
  bytes!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz', nullable: true })
  uploadedAt!: Date | null;

  @Index('IDX_archive_chunks_created')
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_archive_chunks_customer' })
  customer?: CustomerEntity;
}
