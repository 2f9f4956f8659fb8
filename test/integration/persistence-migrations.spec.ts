import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig, REPO_ROOT } from '@logstream/config';
import { MIGRATIONS, typeOrmOptions } from '@logstream/persistence';
import { randomToken } from '../support/ids';
import { run } from '../support/process';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const TABLES = [
  'alert_deliveries',
  'alert_states',
  'alert_subscriptions',
  'archive_chunks',
  'credential_reservations',
  'credentials',
  'customer_archives',
  'customer_tokens',
  'customers',
  'edge_nodes',
  'health_rollups',
  'health_snapshots',
  'panel_sessions',
  'provisioner_lock',
  'stats_rollups',
];

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `npm run migration:check` against `url`, as a developer runs it. */
function migrationCheck(url: string) {
  return run(
    'env',
    [`LOGSTREAM_DATABASE_URL=${url}`, 'npm', 'run', '--silent', 'migration:check'],
    {
      cwd: REPO_ROOT,
      timeoutMs: 60_000,
    },
  );
}

describe('persistence: migrations on a scratch database', () => {
  const name = `logstream_migrations_${randomToken()}`;
  const url = `${SERVER}/${name}`;
  let db: DataSource;

  async function tables(): Promise<string[]> {
    const rows: Array<{ table_name: string }> = await db.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY table_name`,
    );
    return rows.map((r) => r.table_name);
  }

  /** What TypeORM would change to make the database match the entities (empty = in step). */
  async function drift(): Promise<string[]> {
    const sql = await db.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  }

  before(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    db = new DataSource({
      ...typeOrmOptions(loadDatabaseConfig({ LOGSTREAM_DATABASE_URL: url }), 'logstream-tests'),
      logging: false,
    });
    await db.initialize();
  });

  after(async () => {
    if (db?.isInitialized) await db.destroy();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('runs every migration up, all the way down, and up again', async () => {
    const up = await db.runMigrations({ transaction: 'each' });
    assert.deepEqual(
      up.map((m) => m.name),
      MIGRATIONS.map((m) => m.name),
    );
    assert.deepEqual(await tables(), TABLES);
    assert.equal(await db.showMigrations(), false, 'nothing pending');
    assert.deepEqual(await drift(), []);

    for (let i = 0; i < MIGRATIONS.length; i++) await db.undoLastMigration({ transaction: 'each' });
    assert.deepEqual(await tables(), []);
    assert.equal(await db.showMigrations(), true, 'everything pending again');

    await db.runMigrations({ transaction: 'each' });
    assert.deepEqual(await tables(), TABLES);
    assert.deepEqual(await drift(), []);
  });

  it('passes `npm run migration:check`, which fails once the schema drifts', async () => {
    const clean = await migrationCheck(url);
    assert.equal(clean.code, 0, clean.stderr + clean.stdout);
    assert.match(clean.stdout, /No changes in database schema were found/);

    await db.query('DROP INDEX "IDX_credentials_customer"');
    assert.ok((await drift()).some((q) => q.includes('IDX_credentials_customer')));
    const drifted = await migrationCheck(url);
    assert.notEqual(drifted.code, 0, 'the check notices the missing index');
    await db.query('CREATE INDEX "IDX_credentials_customer" ON "credentials" ("customer_id")');
    assert.deepEqual(await drift(), []);
  });
});
