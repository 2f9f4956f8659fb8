import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer's own client quotas, overriding the platform's defaults (null: the default). The
 * provisioner sets them on the broker as the user entity `customer.<id>` (docs/provisioner.md).
 */
export class CustomerQuotas1796240000000 implements MigrationInterface {
  name = 'CustomerQuotas1796240000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customers" ADD "quota_consumer_byte_rate" bigint`);
    await q.query(`ALTER TABLE "customers" ADD "quota_request_percentage" double precision`);
    await q.query(
      `ALTER TABLE "customers" ADD CONSTRAINT "CHK_customers_quota" CHECK (("quota_consumer_byte_rate" IS NULL OR "quota_consumer_byte_rate" > 0) AND ("quota_request_percentage" IS NULL OR "quota_request_percentage" > 0))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customers" DROP CONSTRAINT "CHK_customers_quota"`);
    await q.query(`ALTER TABLE "customers" DROP COLUMN "quota_request_percentage"`);
    await q.query(`ALTER TABLE "customers" DROP COLUMN "quota_consumer_byte_rate"`);
  }
}
