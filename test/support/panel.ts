import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { customerTopic } from '@logstream/tenancy';
import { knownTrafficSource, TrafficTruth } from '@logstream/traffic';
import type { Page } from 'playwright-core';
import { AppProcess } from './app-process';
import type { TestBrowser } from './browser';
import { ADMIN, bearer } from './control-api';
import { eventually } from './process';
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

/**
 * What the panel answers a form another site posts to `target` in the same browser (a page
 * served from localhost on another port, submitted by a click as a visitor would).
 */
export async function crossSiteFormPost(
  browser: TestBrowser,
  target: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input name="${k}" value="${v}">`)
    .join('');
  const attacker = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(
      `<!doctype html><form method="post" action="${target}">${inputs}<button>go</button></form>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, 'localhost', resolve));
  try {
    const evil = await browser.newPage();
    await evil.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
    const answer = evil.waitForResponse((r) => r.url() === target);
    await evil.locator('button').click();
    const res = await answer;
    const body = await res.text();
    await evil.close();
    return { status: res.status(), body };
  } finally {
    attacker.close();
  }
}

/** The real health collector on a test database, collecting every second, logging each. */
export function startTestHealthCollector(databaseUrl: string): AppProcess {
  return new AppProcess('health-collector', {
    LOGSTREAM_DATABASE_URL: databaseUrl,
    LOGSTREAM_HEALTH_HTTP_PORT: '0',
    LOGSTREAM_HEALTH_POLL_MS: '1000',
    LOGSTREAM_LOG_LEVEL: 'debug',
  });
}

/**
 * Waits, without a reload (the block polls every 15 s), for the health block to list `groupId`
 * with no lag and to give the newest line's age, under a chart.
 */
export async function healthShowsCaughtUp(page: Page, groupId: string): Promise<void> {
  const row = page.locator(`#health-groups tr[data-group="${groupId}"]`);
  await row.waitFor({ timeout: 45_000 });
  await eventually(
    async () => ((await row.locator('.lag-lines').textContent())?.trim() === '0' ? 1 : undefined),
    `${groupId} caught up in the panel`,
    45_000,
  );
  await page.locator('#health-newest', { hasText: / ago/ }).waitFor({ timeout: 30_000 });
  assert.match((await page.locator('#health-produced').textContent()) ?? '', /lines\/s/);
  assert.equal(await page.locator('#health-chart svg[role="img"]').count(), 1);
}

/**
 * `count` edge lines of `id` spread over the six whole minutes before this one (their windows
 * are final as soon as the aggregator has read them), and the host most of them name.
 */
export function pastMinutesTraffic(
  id: string,
  count: number,
): { lines: string[]; topHost: string } {
  const truth = new TrafficTruth(60_000);
  const next = knownTrafficSource(id, { seed: 5, clients: 120, hosts: 4 }, [truth]);
  const start = Math.floor(Date.now() / 60_000) * 60_000 - 6 * 60_000;
  const step = (6 * 60_000) / count;
  const lines = Array.from({ length: count }, (_, i) => next(start + Math.floor(i * step)));
  const hosts = new Map<string, number>();
  for (const w of truth.of(id).values()) {
    for (const [host, n] of w.hosts) hosts.set(host, (hosts.get(host) ?? 0) + n);
  }
  const topHost = [...hosts].sort((x, y) => y[1] - x[1])[0][0];
  return { lines, topHost };
}

/** Reloads until the traffic block counts exactly `count` requests. */
export async function trafficShowsRequests(page: Page, count: number): Promise<void> {
  await eventually(
    async () => {
      await page.reload();
      const shown = await page.locator('#traffic-requests').textContent();
      return shown === count.toLocaleString('en-US') ? true : undefined;
    },
    `the traffic block to count ${count} requests`,
    60_000,
    2000,
  );
}
