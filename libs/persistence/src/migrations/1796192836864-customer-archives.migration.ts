import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerArchives1796192836864 implements MigrationInterface {
  name = 'CustomerArchives1796192836864';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "customer_archives" (
        "customer_id" varchar(63) NOT NULL,
        "endpoint" varchar(2048) NOT NULL,
        "bucket" varchar(63) NOT NULL,
        "region" varchar(64) NOT NULL,
        "path_prefix" varchar(512) NOT NULL,
        "hive_partitioning" boolean NOT NULL DEFAULT false,
        "access_key_id" varchar(256) NOT NULL,
        "secret_ciphertext" text NOT NULL,
        "compression" varchar(8) NOT NULL DEFAULT 'gzip',
        "flush_interval_s" integer NOT NULL,
        "flush_bytes" integer NOT NULL,
        "flush_lines" integer NOT NULL,
        "settings_version" integer NOT NULL DEFAULT 1,
        "challenge_ciphertext" text NOT NULL,
        "challenge_key" varchar(1024),
        "challenge_written_at" TIMESTAMP WITH TIME ZONE,
        "verified_at" TIMESTAMP WITH TIME ZONE,
        "verified_by" varchar(16),
        "state" varchar(16) NOT NULL DEFAULT 'unverified',
        "last_error" text,
        "last_error_at" TIMESTAMP WITH TIME ZONE,
        "last_upload_at" TIMESTAMP WITH TIME ZONE,
        "last_object_key" varchar(1024),
        "uploads_ok" bigint NOT NULL DEFAULT 0,
        "uploads_failed" bigint NOT NULL DEFAULT 0,
        "lines_delivered" bigint NOT NULL DEFAULT 0,
        "bytes_delivered" bigint NOT NULL DEFAULT 0,
        "lines_lost" bigint NOT NULL DEFAULT 0,
        "behind_ms" bigint NOT NULL DEFAULT 0,
        "status_updated_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_customer_archives" PRIMARY KEY ("customer_id"),
        CONSTRAINT "FK_customer_archives_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_customer_archives_state" CHECK ("state" IN ('unverified', 'active', 'catching_up', 'failing', 'failed')),
        CONSTRAINT "CHK_customer_archives_compression" CHECK ("compression" IN ('gzip', 'zstd'))
      )`);
    // Chunks outlive a deleted archive setting (a new one resumes on the same boundaries) but
    // not the customer.
    await q.query(`
      CREATE TABLE "archive_chunks" (
        "customer_id" varchar(63) NOT NULL,
        "partition" integer NOT NULL,
        "first_offset" bigint NOT NULL,
        "last_offset" bigint NOT NULL,
        "object_key" varchar(1024) NOT NULL,
        "lines" integer NOT NULL,
        "bytes" bigint NOT NULL,
        "uploaded_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_archive_chunks" PRIMARY KEY ("customer_id", "partition", "first_offset"),
        CONSTRAINT "FK_archive_chunks_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_archive_chunks_created" ON "archive_chunks" ("created_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "archive_chunks"`);
    await q.query(`DROP TABLE "customer_archives"`);
  }
}
