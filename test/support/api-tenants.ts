import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { DataSource } from 'typeorm';
import type { Env } from '@logstream/config';
import {
  ADMIN,
  bearer,
  controlApiTestConfig,
  deleteCustomers,
  migratedDataSource,
  startControlApi,
  type TestApi,
} from './control-api';
import { randomCustomerId } from './ids';

/** Creates customers and their tokens through the admin API, and remembers them for cleanup. */
export class ApiTenants {
  readonly created: string[] = [];

  constructor(private readonly api: () => TestApi) {}

  async customer(prefix = 'hard'): Promise<string> {
    const id = randomCustomerId(prefix);
    const res = await this.api().http().post('/v1/customers').set(ADMIN).send({ id, name: id });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    this.created.push(id);
    return id;
  }

  /** A new customer token: the secret, its id and the header that sends it. */
  async token(
    id: string,
    body?: object,
  ): Promise<{ token: string; id: string; auth: { Authorization: string } }> {
    const req = this.api().http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
    const res = await (body === undefined ? req : req.send(body));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const issued = res.body as { token: string; id: string };
    return { token: issued.token, id: issued.id, auth: bearer(issued.token) };
  }

  /** Lets the retention rule treat the customer as reconciled (no provisioner runs here). */
  async markReconciled(db: DataSource, id: string): Promise<void> {
    await db.query('UPDATE customers SET observed_generation = generation WHERE id = $1', [id]);
  }
}

export interface TenantApiFixture {
  readonly api: TestApi;
  readonly db: DataSource;
  readonly tenants: ApiTenants;
}

/**
 * A control API of the describe block's own (configured by `env` on top of the test defaults),
 * the test database, and the customers the block creates, deleted after it.
 */
export function useTenantApi(env: Env = {}): TenantApiFixture {
  let api: TestApi | undefined;
  let db: DataSource | undefined;
  const fixture: TenantApiFixture = {
    get api() {
      if (!api) throw new Error('the control API is not started yet (use it inside a test)');
      return api;
    },
    get db() {
      if (!db) throw new Error('the database is not open yet (use it inside a test)');
      return db;
    },
    tenants: new ApiTenants(() => fixture.api),
  };
  before(async () => {
    db = await migratedDataSource();
    api = await startControlApi(controlApiTestConfig(env));
  });
  after(async () => {
    await api?.close();
    if (db) {
      await deleteCustomers(db, fixture.tenants.created);
      await db.destroy();
    }
  });
  return fixture;
}
