import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An enrolled edge node: its own certificate (signed by the platform root, by an operator's
 * `edge-admin enroll`) and its own principal, granted the edge producer's ACLs while the row is
 * not revoked. The private key is never stored. A name is active at most once; a revoked row
 * stays, so the name is not handed out again while its old certificate is still valid.
 */
@Entity('edge_nodes')
@Index('IDX_edge_nodes_active_name', ['name'], { unique: true, where: '"revoked_at" IS NULL' })
export class EdgeNodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 49 })
  name!: string;

  @Column({ type: 'varchar', length: 64 })
  principal!: string;

  @Column({ type: 'varchar', length: 64 })
  serial!: string;

  @Column({ name: 'fingerprint_sha256', type: 'varchar', length: 95 })
  fingerprintSha256!: string;

  @Column({ name: 'not_after', type: 'timestamptz' })
  notAfter!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
