import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '@logstream/config';
import { typeOrmOptions } from '@logstream/persistence';
import { randomToken } from './ids';

export interface ScratchDatabase {
  url: string;
  db: DataSource;
  drop(): Promise<void>;
}

/**
 * A fresh database on the real PostgreSQL server, migrated to the latest schema. A test that
 * runs a provisioner gets its own, so that provisioner sees only that test's customers.
 */
export async function createScratchDatabase(purpose: string): Promise<ScratchDatabase> {
  const base = new URL(loadDatabaseConfig().url);
  const name = `logstream_t_${purpose.replace(/[^a-z0-9]/g, '_')}_${randomToken()}`;
  const admin = new Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(base, name);
  const config = { ...loadDatabaseConfig(), url };
  const db = new DataSource({ ...typeOrmOptions(config, 'logstream-test'), logging: ['error'] });
  await db.initialize();
  await db.runMigrations();
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      const c = new Client({ connectionString: withDatabase(base, 'postgres') });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

function withDatabase(base: URL, name: string): string {
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return url.toString();
}
