import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One-minute traffic statistics per customer, written by the aggregator, kept 30 days. */
export class StatsRollups1796195546947 implements MigrationInterface {
  name = 'StatsRollups1796195546947';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "stats_rollups" (
        "customer_id" varchar(63) NOT NULL,
        "window_start" TIMESTAMP WITH TIME ZONE NOT NULL,
        "final" boolean NOT NULL,
        "requests" bigint NOT NULL,
        "bytes" bigint NOT NULL,
        "status" jsonb NOT NULL,
        "status_class" jsonb NOT NULL,
        "unique_visitors" integer NOT NULL,
        "hll" text NOT NULL,
        "hll_precision" smallint NOT NULL,
        "late" bigint NOT NULL,
        "unparsed" bigint NOT NULL,
        "top" jsonb NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_stats_rollups" PRIMARY KEY ("customer_id", "window_start"),
        CONSTRAINT "FK_stats_rollups_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_stats_rollups_window" ON "stats_rollups" ("window_start")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "stats_rollups"`);
  }
}
