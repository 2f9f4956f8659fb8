import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PanelSessions1796192142293 implements MigrationInterface {
  name = 'PanelSessions1796192142293';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "panel_sessions" (
        "id_sha256" char(64) NOT NULL,
        "kind" varchar(8) NOT NULL,
        "customer_id" varchar(63),
        "token_id" uuid,
        "admin_token_sha256" char(64),
        "csrf_token" varchar(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_panel_sessions" PRIMARY KEY ("id_sha256"),
        CONSTRAINT "FK_panel_sessions_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_panel_sessions_token" FOREIGN KEY ("token_id") REFERENCES "customer_tokens"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_panel_sessions_customer" ON "panel_sessions" ("customer_id")`);
    await q.query(`CREATE INDEX "IDX_panel_sessions_token" ON "panel_sessions" ("token_id")`);
    await q.query(`CREATE INDEX "IDX_panel_sessions_expires" ON "panel_sessions" ("expires_at")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "panel_sessions"`);
  }
}
