import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ArchiveCompression, ArchiveState, ArchiveVerification } from './archive-state.types';
import { bigintTransformer } from './bigint.transformer';
import type { CustomerEntity } from './customer.entity';

/**
 * A customer's archive destination (written by the control API) and its delivery status
 * (written by the archiver). The secret and the challenge token are stored encrypted with the
 * platform key; `settingsVersion` counts changes so the archiver retries at once after a fix.
 */
@Entity('customer_archives')
@Check(
  'CHK_customer_archives_state',
  `"state" IN ('unverified', 'active', 'catching_up', 'failing', 'failed')`,
)
@Check('CHK_customer_archives_compression', `"compression" IN ('gzip', 'zstd')`)
export class CustomerArchiveEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @Column({ type: 'varchar', length: 2048 })
  endpoint!: string;

  @Column({ type: 'varchar', length: 63 })
  bucket!: string;

  @Column({ type: 'varchar', length: 64 })
  region!: string;

  @Column({ name: 'path_prefix', type: 'varchar', length: 512 })
  pathPrefix!: string;

  @Column({ name: 'hive_partitioning', type: 'boolean', default: false })
  hivePartitioning!: boolean;

  @Column({ name: 'access_key_id', type: 'varchar', length: 256 })
  accessKeyId!: string;

  @Column({ name: 'secret_ciphertext', type: 'text' })
  secretCiphertext!: string;

  @Column({ type: 'varchar', length: 8, default: 'gzip' })
  compression!: ArchiveCompression;

  @Column({ name: 'flush_interval_s', type: 'integer' })
  flushIntervalS!: number;

  @Column({ name: 'flush_bytes', type: 'integer' })
  flushBytes!: number;

  @Column({ name: 'flush_lines', type: 'integer' })
  flushLines!: number;

  @Column({ name: 'settings_version', type: 'integer', default: 1 })
  settingsVersion!: number;

  @Column({ name: 'challenge_ciphertext', type: 'text' })
  challengeCiphertext!: string;

  /** Where the archiver wrote the challenge object, once it did. */
  @Column({ name: 'challenge_key', type: 'varchar', length: 1024, nullable: true })
  challengeKey!: string | null;

  @Column({ name: 'challenge_written_at', type: 'timestamptz', nullable: true })
  challengeWrittenAt!: Date | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'verified_by', type: 'varchar', length: 16, nullable: true })
  verifiedBy!: ArchiveVerification | null;

  @Column({ type: 'varchar', length: 16, default: 'unverified' })
  state!: ArchiveState;

  /** Start of the current failure (`failing`/`failed` since then, no success between). */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt!: Date | null;

  @Column({ name: 'last_upload_at', type: 'timestamptz', nullable: true })
  lastUploadAt!: Date | null;

  /** The newest object stored whole, and the Kafka time of its last line. */
  @Column({ name: 'last_object_key', type: 'varchar', length: 1024, nullable: true })
  lastObjectKey!: string | null;

  @Column({ name: 'uploads_ok', type: 'bigint', default: 0, transformer: bigintTransformer })
  uploadsOk!: number;

  @Column({ name: 'uploads_failed', type: 'bigint', default: 0, transformer: bigintTransformer })
  uploadsFailed!: number;

  @Column({ name: 'lines_delivered', type: 'bigint', default: 0, transformer: bigintTransformer })
  linesDelivered!: number;

  @Column({ name: 'bytes_delivered', type: 'bigint', default: 0, transformer: bigintTransformer })
  bytesDelivered!: number;

  /** Lines that fell out of Kafka's retention before they were delivered. */
  @Column({ name: 'lines_lost', type: 'bigint', default: 0, transformer: bigintTransformer })
  linesLost!: number;

  /** Age of the oldest line not yet delivered, as the archiver last saw it. */
  @Column({ name: 'behind_ms', type: 'bigint', default: 0, transformer: bigintTransformer })
  behindMs!: number;

  @Column({ name: 'status_updated_at', type: 'timestamptz', nullable: true })
  statusUpdatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_customer_archives_customer' })
  customer?: CustomerEntity;
}
