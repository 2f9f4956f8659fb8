import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { DataSource } from 'typeorm';
import type { ControlApiConfig } from '@logstream/config';
import {
  ADMIN,
  controlApiTestConfig,
  deleteCustomers,
  migratedDataSource,
  startControlApi,
  TEST_DATABASE_URL,
  type TestApi,
} from './control-api';
import { randomCustomerId } from './ids';
import { ReconcileListener } from './pg-notifications';

export interface ControlApiFixture {
  readonly api: TestApi;
  readonly db: DataSource;
  /** Listening on the provisioner's channel; only with `listen: true`. */
  readonly listener: ReconcileListener;
  /** Customers the suite created; their rows are removed after it. */
  readonly created: string[];
  /** POST /v1/customers as the admin (201 asserted); the id is random under `prefix`. */
  readonly createCustomer: (name?: string) => Promise<string>;
  /** POST /v1/customers/{id}/tokens as the admin: a customer token. */
  readonly customerToken: (id: string) => Promise<string>;
  /** The customer's desired-state generation, read from its row. */
  readonly generationOf: (id: string) => Promise<number>;
}

/**
 * The control API e2e suites' shared set-up, registered as the calling describe's before and
 * after hooks: a migrated DataSource on the test database, the real app on an ephemeral port,
 * optionally a NOTIFY listener, and the removal of every customer the suite created.
 */
export function useControlApi(options: {
  prefix: string;
  config?: ControlApiConfig;
  listen?: boolean;
}): ControlApiFixture {
  let api: TestApi | undefined;
  let db: DataSource | undefined;
  let listener: ReconcileListener | undefined;
  const created: string[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    assert.ok(value, `${what} is used before the suite's before hook ran`);
    return value;
  };

  before(async () => {
    db = await migratedDataSource();
    if (options.listen) {
      listener = new ReconcileListener(TEST_DATABASE_URL);
      await listener.start();
    }
    api = await startControlApi(options.config ?? controlApiTestConfig());
  });

  after(async () => {
    await api?.close();
    await listener?.stop();
    if (db) {
      await deleteCustomers(db, created);
      await db.destroy();
    }
  });

  const fixture: ControlApiFixture = {
    get api() {
      return started(api, 'the API');
    },
    get db() {
      return started(db, 'the database');
    },
    get listener() {
      return started(listener, 'the listener (listen: true)');
    },
    created,
    async createCustomer(name = 'Test customer') {
      const id = randomCustomerId(options.prefix);
      const res = await fixture.api.http().post('/v1/customers').set(ADMIN).send({ id, name });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      created.push(id);
      return id;
    },
    async customerToken(id) {
      const res = await fixture.api.http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { token: string }).token;
    },
    async generationOf(id) {
      const rows: Array<{ generation: string }> = await fixture.db.query(
        'SELECT generation FROM customers WHERE id = $1',
        [id],
      );
      assert.equal(rows.length, 1, `no customer ${id}`);
      return Number(rows[0].generation);
    },
  };
  return fixture;
}
