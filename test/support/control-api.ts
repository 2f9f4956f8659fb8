import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  type ControlApiConfig,
  type Env,
  loadControlApiConfig,
  loadDatabaseConfig,
  loadKafkaConfig,
  loadPathsConfig,
} from '@logstream/config';
import { typeOrmOptions } from '@logstream/persistence';
import { createControlApi } from '../../apps/control-api/src/control-api.factory';
import { TEST_SECRET_KEYS } from './secret-keys';

/** The shared test database (created by `scripts/postgres.sh ensure`). */
export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/logstream_test';

/** An admin token of this test run only. */
export const TEST_ADMIN_TOKEN = `test-admin-${randomBytes(16).toString('hex')}`;
export const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** The API's configuration for tests: the test database, the dev PKI, a generous rate limit. */
export function controlApiTestConfig(env: Env = {}): ControlApiConfig {
  return loadControlApiConfig({
    LOGSTREAM_PKI_DIR: loadPathsConfig().pkiDir,
    // The broker the tests run against (test.sh gives them one of their own).
    LOGSTREAM_KAFKA_BROKERS: loadKafkaConfig('test').brokers.join(','),
    LOGSTREAM_KAFKA_SSL_BOOTSTRAP: loadKafkaConfig('test').customerBootstrap.join(','),
    LOGSTREAM_DATABASE_URL: TEST_DATABASE_URL,
    LOGSTREAM_DATABASE_POOL_SIZE: '5',
    LOGSTREAM_ADMIN_TOKENS: TEST_ADMIN_TOKEN,
    LOGSTREAM_API_RATE_LIMIT: '1000000',
    // One admin token drives a whole test file, and fixtures issue credentials back to back.
    LOGSTREAM_API_PRINCIPAL_RATE_LIMIT: '1000000',
    LOGSTREAM_CREDENTIAL_ISSUE_RATE: '1000',
    LOGSTREAM_LOG_LEVEL: 'info',
    ...TEST_SECRET_KEYS,
    ...env,
  });
}

/** A DataSource on a database, with the project's migrations applied (idempotent). */
export async function migratedDataSource(url = TEST_DATABASE_URL): Promise<DataSource> {
  const db = new DataSource({
    ...typeOrmOptions(loadDatabaseConfig({ LOGSTREAM_DATABASE_URL: url }), 'logstream-tests'),
    logging: false,
  });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  return db;
}

export interface TestApi {
  app: NestExpressApplication;
  server: Server;
  /** Every JSON log line the API wrote. */
  logs: string[];
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Starts the real app module on an ephemeral port of 127.0.0.1. */
export async function startControlApi(config: ControlApiConfig): Promise<TestApi> {
  const logs: string[] = [];
  const { app } = await createControlApi(config, { logSink: (line) => logs.push(line) });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  return {
    app,
    server,
    logs,
    http: () => request(server),
    close: () => app.close(),
  };
}

/** Removes the rows of the customers a test created (never anyone else's). */
export async function deleteCustomers(db: DataSource, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.query('DELETE FROM customers WHERE id = ANY($1)', [ids]);
}

/** supertest parser that keeps a binary body (the zip) as a Buffer. */
export function binaryBody(
  response: request.Response,
  done: (err: Error | null, body: Buffer) => void,
): void {
  // In Node, superagent hands custom parsers the raw response stream.
  const res = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => done(err, Buffer.alloc(0)));
}

/** Asserts the API's error body: exactly statusCode, error and message. */
export function errorShape(body: unknown): { statusCode: number; error: string; message: string } {
  const b = body as Record<string, unknown>;
  if (
    typeof b !== 'object' ||
    b === null ||
    Object.keys(b).sort().join(',') !== 'error,message,statusCode' ||
    typeof b.statusCode !== 'number' ||
    typeof b.error !== 'string' ||
    typeof b.message !== 'string' ||
    b.message.length === 0
  ) {
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  }
  return b as { statusCode: number; error: string; message: string };
}
