import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { customerTopic } from '@logstream/tenancy';
import { ADMIN, bearer } from './control-api';
import { randomCustomerId, randomToken } from './ids';
import type { ApiCustomer, TenantPlatform } from './tenant-platform';

/** The panel's limits in tests: short tails, a low line cap, so the bounds are reached quickly. */
export const PANEL_TEST_ENV = {
  LOGSTREAM_PANEL_TAIL_MAX_S: '8',
  LOGSTREAM_PANEL_TAIL_MAX_LINES_PER_S: '20',
};

export function baseUrl(platform: TenantPlatform): string {
  return `http://127.0.0.1:${(platform.api.server.address() as AddressInfo).port}`;
}

/**
 * A customer made through the admin API with a token, streaming as asked (not waited for);
 * registered with the platform so its close() deprovisions it.
 */
export async function panelCustomer(
  platform: TenantPlatform,
  prefix: string,
  streaming: boolean,
): Promise<ApiCustomer> {
  const http = () => platform.api.http();
  const id = randomCustomerId(prefix);
  const name = `Panel ${prefix} <i>${randomToken()}</i>`;
  const created = await http().post('/v1/customers').set(ADMIN).send({ id, name });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const issued = await http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  const token = (issued.body as { token: string }).token;
  const customer: ApiCustomer = {
    id,
    topic: customerTopic(id),
    name,
    token,
    auth: bearer(token),
    credentials: [],
    secretLine: `198.51.100.9 "GET /secret/${id}/${randomToken()} HTTP/1.1" 200`,
  };
  platform.customers.push(customer);
  if (streaming) {
    const on = await http()
      .put(`/v1/customers/${id}/streaming`)
      .set(customer.auth)
      .send({ enabled: true });
    assert.equal(on.status, 202, JSON.stringify(on.body));
  }
  return customer;
}
