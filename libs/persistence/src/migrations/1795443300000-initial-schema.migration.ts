import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795443300000 implements MigrationInterface {
  name = 'InitialSchema1795443300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "customers" (
        "id" varchar(63) NOT NULL,
        "name" varchar(200) NOT NULL,
        "streaming_enabled" boolean NOT NULL DEFAULT false,
        "generation" bigint NOT NULL DEFAULT 1,
        "deletion_requested_at" TIMESTAMP WITH TIME ZONE,
        "streaming_state" varchar(16) NOT NULL DEFAULT 'disabled',
        "observed_generation" bigint NOT NULL DEFAULT 0,
        "last_error" text,
        "state_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "active_since" TIMESTAMP WITH TIME ZONE,
        "provisioning_ms" integer,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_customers" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_customers_state" CHECK ("streaming_state" IN ('provisioning', 'active', 'disabling', 'disabled', 'failed'))
      )`);
    await q.query(`
      CREATE TABLE "credentials" (
        "id" varchar(32) NOT NULL,
        "customer_id" varchar(63) NOT NULL,
        "principal" varchar(128) NOT NULL,
        "serial" varchar(64) NOT NULL,
        "fingerprint_sha256" varchar(95) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_credentials" PRIMARY KEY ("id"),
        CONSTRAINT "FK_credentials_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_credentials_customer" ON "credentials" ("customer_id")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_credentials_principal" ON "credentials" ("principal")`);
    await q.query(`
      CREATE TABLE "customer_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "customer_id" varchar(63) NOT NULL,
        "token_sha256" char(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_customer_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "FK_customer_tokens_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX "IDX_customer_tokens_customer" ON "customer_tokens" ("customer_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_customer_tokens_sha256" ON "customer_tokens" ("token_sha256")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "customer_tokens"`);
    await q.query(`DROP TABLE "credentials"`);
    await q.query(`DROP TABLE "customers"`);
  }
}
