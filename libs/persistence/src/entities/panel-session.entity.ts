import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { CustomerTokenEntity } from './customer-token.entity';
import type { CustomerEntity } from './customer.entity';

/**
 * A signed-in panel session. The browser holds a random id in a cookie; only its SHA-256 is
 * kept here. A customer's session belongs to the token it was opened with and goes with it
 * (revoked token: refused; deleted customer or token: the row cascades away). An admin's
 * session remembers the admin token's SHA-256, so removing that token from the configuration
 * ends it.
 */
@Entity('panel_sessions')
export class PanelSessionEntity {
  @PrimaryColumn({ name: 'id_sha256', type: 'char', length: 64 })
  idSha256!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: 'customer' | 'admin';

  @Index('IDX_panel_sessions_customer')
  @Column({ name: 'customer_id', type: 'varchar', length: 63, nullable: true })
  customerId!: string | null;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'FK_panel_sessions_customer' })
  customer?: CustomerEntity;

  @Index('IDX_panel_sessions_token')
  @Column({ name: 'token_id', type: 'uuid', nullable: true })
  tokenId!: string | null;

  @ManyToOne('CustomerTokenEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id', foreignKeyConstraintName: 'FK_panel_sessions_token' })
  token?: CustomerTokenEntity;

  @Column({ name: 'admin_token_sha256', type: 'char', length: 64, nullable: true })
  adminTokenSha256!: string | null;

  /** Sent back with every state-changing request (a form field or header). */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** Absolute end, fixed at sign-in. */
  @Index('IDX_panel_sessions_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
