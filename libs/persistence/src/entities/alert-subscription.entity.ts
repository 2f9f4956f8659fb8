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

/** A customer's webhook and the rules it wants; the signing secret is stored encrypted. */
@Entity('alert_subscriptions')
export class AlertSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_alert_subscriptions_customer')
  @Column({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_alert_subscriptions_customer' })
  customer?: CustomerEntity;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'jsonb' })
  rules!: unknown;

  @Column({ name: 'secret_ciphertext', type: 'text' })
  secretCiphertext!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
