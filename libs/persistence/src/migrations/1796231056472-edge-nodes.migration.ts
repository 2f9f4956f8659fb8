import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrolled edge nodes (`apps/edge-admin`): one row per certificate issued to a node; the
 * provisioner grants the edge producer's ACLs to every row not revoked. The partial unique
 * index keeps a name active once at most, including against two enrollments racing.
 */
export class EdgeNodes1796231056472 implements MigrationInterface {
  name = 'EdgeNodes1796231056472';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "edge_nodes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(49) NOT NULL,
        "principal" varchar(64) NOT NULL,
        "serial" varchar(64) NOT NULL,
        "fingerprint_sha256" varchar(95) NOT NULL,
        "not_after" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_edge_nodes" PRIMARY KEY ("id")
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "IDX_edge_nodes_active_name" ON "edge_nodes" ("name") WHERE "revoked_at" IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "edge_nodes"`);
  }
}
