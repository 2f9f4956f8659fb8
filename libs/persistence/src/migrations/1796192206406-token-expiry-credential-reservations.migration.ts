import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer tokens get an optional expiry; credential issuing reserves its slot in a table of
 * its own before the key is made (the provisioner never reads it).
 */
export class TokenExpiryCredentialReservations1796192206406 implements MigrationInterface {
  name = 'TokenExpiryCredentialReservations1796192206406';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customer_tokens" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`
      CREATE TABLE "credential_reservations" (
        "id" varchar(32) NOT NULL,
        "customer_id" varchar(63) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_credential_reservations" PRIMARY KEY ("id"),
        CONSTRAINT "FK_credential_reservations_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX "IDX_credential_reservations_customer" ON "credential_reservations" ("customer_id")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "credential_reservations"`);
    await q.query(`ALTER TABLE "customer_tokens" DROP COLUMN "expires_at"`);
  }
}
