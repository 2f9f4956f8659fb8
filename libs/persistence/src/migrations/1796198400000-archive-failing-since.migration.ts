import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the archive's current failure began (`failing` or `failed` without a success between):
 * the "archive failing" alert fires only once that is longer ago than its threshold.
 * `last_error_at` cannot tell, since every failed attempt moves it.
 */
export class ArchiveFailingSince1796198400000 implements MigrationInterface {
  name = 'ArchiveFailingSince1796198400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customer_archives" ADD "failing_since" TIMESTAMP WITH TIME ZONE`);
    // Archives failing at upgrade time count from their last status write.
    await q.query(
      `UPDATE "customer_archives" SET "failing_since" = COALESCE("status_updated_at", now())
       WHERE "state" IN ('failing', 'failed')`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customer_archives" DROP COLUMN "failing_since"`);
  }
}
