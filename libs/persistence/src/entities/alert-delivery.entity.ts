import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { AlertSubscriptionEntity } from './alert-subscription.entity';

export type AlertEvent = 'firing' | 'resolved';
export type AlertDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One webhook message per alert state change, with its last delivery status. */
@Entity('alert_deliveries')
@Unique('UQ_alert_deliveries_change', ['subscriptionId', 'alertKey', 'seq'])
@Check('CHK_alert_deliveries_event', `"event" IN ('firing', 'resolved')`)
@Check('CHK_alert_deliveries_status', `"status" IN ('pending', 'delivered', 'failed')`)
@Index('IDX_alert_deliveries_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
export class AlertDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne('AlertSubscriptionEntity', { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'subscription_id',
    foreignKeyConstraintName: 'FK_alert_deliveries_subscription',
  })
  subscription?: AlertSubscriptionEntity;

  @Column({ name: 'alert_key', type: 'varchar', length: 400 })
  alertKey!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 16 })
  event!: AlertEvent;

  /** The exact bytes signed and sent. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: AlertDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
