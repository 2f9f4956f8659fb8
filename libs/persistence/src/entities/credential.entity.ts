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
 * One client certificate issued to a customer, with its own Kafka principal. The private key is
 * never stored: it goes to the customer in the bundle and nowhere else.
 */
@Entity('credentials')
export class CredentialEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Index('IDX_credentials_customer')
  @Column({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', 'credentials', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_credentials_customer' })
  customer?: CustomerEntity;

  @Index('IDX_credentials_principal', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  principal!: string;

  @Column({ type: 'varchar', length: 64 })
  serial!: string;

  @Column({ name: 'fingerprint_sha256', type: 'varchar', length: 95 })
  fingerprintSha256!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
