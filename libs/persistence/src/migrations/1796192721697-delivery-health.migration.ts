import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Delivery health: latest snapshot and one-minute rollups per customer; alert webhooks. */
export class DeliveryHealth1796192721697 implements MigrationInterface {
  name = 'DeliveryHealth1796192721697';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "health_snapshots" (
        "customer_id" varchar(63) NOT NULL,
        "as_of" TIMESTAMP WITH TIME ZONE NOT NULL,
        "body" jsonb NOT NULL,
        CONSTRAINT "PK_health_snapshots" PRIMARY KEY ("customer_id"),
        CONSTRAINT "FK_health_snapshots_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "health_rollups" (
        "customer_id" varchar(63) NOT NULL,
        "minute" TIMESTAMP WITH TIME ZONE NOT NULL,
        "produced_lines" bigint NOT NULL DEFAULT 0,
        "produced_bytes" bigint NOT NULL DEFAULT 0,
        "max_lag_lines" bigint NOT NULL DEFAULT 0,
        "max_lag_seconds" double precision,
        "lost_lines" bigint NOT NULL DEFAULT 0,
        "edge_inactive" bigint NOT NULL DEFAULT 0,
        "edge_oversize" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "PK_health_rollups" PRIMARY KEY ("customer_id", "minute"),
        CONSTRAINT "FK_health_rollups_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_health_rollups_minute" ON "health_rollups" ("minute")`);
    await q.query(`
      CREATE TABLE "alert_subscriptions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "customer_id" varchar(63) NOT NULL,
        "url" text NOT NULL,
        "rules" jsonb NOT NULL,
        "secret_ciphertext" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_alert_subscriptions" PRIMARY KEY ("id"),
        CONSTRAINT "FK_alert_subscriptions_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX "IDX_alert_subscriptions_customer" ON "alert_subscriptions" ("customer_id")`,
    );
    await q.query(`
      CREATE TABLE "alert_states" (
        "subscription_id" uuid NOT NULL,
        "alert_key" varchar(400) NOT NULL,
        "firing" boolean NOT NULL,
        "seq" integer NOT NULL,
        "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_alert_states" PRIMARY KEY ("subscription_id", "alert_key"),
        CONSTRAINT "FK_alert_states_subscription" FOREIGN KEY ("subscription_id") REFERENCES "alert_subscriptions"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "alert_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "subscription_id" uuid NOT NULL,
        "alert_key" varchar(400) NOT NULL,
        "seq" integer NOT NULL,
        "event" varchar(16) NOT NULL,
        "body" text NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "last_status_code" integer,
        "last_error" text,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_alert_deliveries" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_alert_deliveries_change" UNIQUE ("subscription_id", "alert_key", "seq"),
        CONSTRAINT "CHK_alert_deliveries_event" CHECK ("event" IN ('firing', 'resolved')),
        CONSTRAINT "CHK_alert_deliveries_status" CHECK ("status" IN ('pending', 'delivered', 'failed')),
        CONSTRAINT "FK_alert_deliveries_subscription" FOREIGN KEY ("subscription_id") REFERENCES "alert_subscriptions"("id") ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX "IDX_alert_deliveries_due" ON "alert_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "alert_deliveries"`);
    await q.query(`DROP TABLE "alert_states"`);
    await q.query(`DROP TABLE "alert_subscriptions"`);
    await q.query(`DROP TABLE "health_rollups"`);
    await q.query(`DROP TABLE "health_snapshots"`);
  }
}
