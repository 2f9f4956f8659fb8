import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { AlertSubscriptionEntity } from './alert-subscription.entity';

/** Whether one alert (a rule, for one subject such as a group) fires; `seq` counts changes. */
@Entity('alert_states')
export class AlertStateEntity {
  @PrimaryColumn({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne('AlertSubscriptionEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id', foreignKeyConstraintName: 'FK_alert_states_subscription' })
  subscription?: AlertSubscriptionEntity;

  @PrimaryColumn({ name: 'alert_key', type: 'varchar', length: 400 })
  alertKey!: string;

  @Column({ type: 'boolean' })
  firing!: boolean;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
