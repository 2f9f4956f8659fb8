import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provisioners' leader lock key: random per database, so it cannot be read from the source
 * (a database user must be able to read this table to take the lock; grant it to the
 * provisioner's role only, see docs/provisioner.md). One row, made here.
 */
export class ProvisionerLock1796193650817 implements MigrationInterface {
  name = 'ProvisionerLock1796193650817';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "provisioner_lock" (
        "id" boolean PRIMARY KEY DEFAULT true CHECK ("id"),
        "lock_key" bigint NOT NULL
      )`);
    await q.query(`
      INSERT INTO "provisioner_lock" ("lock_key")
      VALUES (('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "provisioner_lock"');
  }
}
