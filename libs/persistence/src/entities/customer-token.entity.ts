import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { CustomerEntity } from './customer.entity';

/** An API token scoped to one customer. Only its SHA-256 is kept; the token is shown once. */
@Entity('customer_tokens')
export class CustomerTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_customer_tokens_customer')
  @Column({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_customer_tokens_customer' })
  customer?: CustomerEntity;

  @Index('IDX_customer_tokens_sha256', { unique: true })
  @Column({ name: 'token_sha256', type: 'char', length: 64 })
  tokenSha256!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** After this the token is refused; null: until revoked. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
