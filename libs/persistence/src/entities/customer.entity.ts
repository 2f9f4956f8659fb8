import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from './bigint.transformer';
import type { CredentialEntity } from './credential.entity';
import type { StreamingState } from './streaming-state.types';

/**
 * A customer with its desired state (written by the control API) and the observed state
 * (written by the provisioner). `generation` counts desired-state changes: streaming switched,
 * a credential issued or revoked, deletion requested. The provisioner reports which generation
 * it has reconciled in `observedGeneration`.
 */
@Entity('customers')
@Check(
  'CHK_customers_quota',
  `("quota_consumer_byte_rate" IS NULL OR "quota_consumer_byte_rate" > 0) AND ("quota_request_percentage" IS NULL OR "quota_request_percentage" > 0)`,
)
@Check(
  'CHK_customers_state',
  `"streaming_state" IN ('provisioning', 'active', 'disabling', 'disabled', 'failed')`,
)
export class CustomerEntity {
  @PrimaryColumn({ type: 'varchar', length: 63 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'streaming_enabled', type: 'boolean', default: false })
  streamingEnabled!: boolean;

  @Column({ type: 'bigint', default: 1, transformer: bigintTransformer })
  generation!: number;

  @Column({ name: 'deletion_requested_at', type: 'timestamptz', nullable: true })
  deletionRequestedAt!: Date | null;

  @Column({ name: 'streaming_state', type: 'varchar', length: 16, default: 'disabled' })
  streamingState!: StreamingState;

  @Column({
    name: 'observed_generation',
    type: 'bigint',
    default: 0,
    transformer: bigintTransformer,
  })
  observedGeneration!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'state_changed_at', type: 'timestamptz', default: () => 'now()' })
  stateChangedAt!: Date;

  @Column({ name: 'active_since', type: 'timestamptz', nullable: true })
  activeSince!: Date | null;

  /** How long the last enable took, from the request to access confirmed. */
  @Column({ name: 'provisioning_ms', type: 'integer', nullable: true })
  provisioningMs!: number | null;

  /** The customer's own consumer byte rate (bytes/s), null: the platform's default. */
  @Column({
    name: 'quota_consumer_byte_rate',
    type: 'bigint',
    nullable: true,
    transformer: bigintTransformer,
  })
  quotaConsumerByteRate!: number | null;

  /** The customer's own request time quota (percent of one broker thread), null: the default. */
  @Column({ name: 'quota_request_percentage', type: 'double precision', nullable: true })
  quotaRequestPercentage!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany('CredentialEntity', 'customer')
  credentials?: CredentialEntity[];
}
