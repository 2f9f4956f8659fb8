import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { CustomerEntity } from './customer.entity';

/**
 * A credential slot held while its key and bundle are made: it counts against the customer's
 * limit from the moment it is taken, and lapses by itself if the API dies before finishing.
 */
@Entity('credential_reservations')
export class CredentialReservationEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Index('IDX_credential_reservations_customer')
  @Column({ name: 'customer_id', type: 'varchar', length: 63 })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'customer_id',
    foreignKeyConstraintName: 'FK_credential_reservations_customer',
  })
  customer?: CustomerEntity;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
