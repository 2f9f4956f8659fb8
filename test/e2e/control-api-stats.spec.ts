import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsRollupRepository } from '@logstream/persistence';
import {
  compileLogFormat,
  CustomerStats,
  DEFAULT_SKETCH_OPTIONS,
  rollupRows,
} from '@logstream/stats';
import { knownTrafficSource, TrafficTruth } from '@logstream/traffic';
import { ADMIN, bearer, errorShape } from '../support/control-api';
import { useControlApi } from '../support/control-api-fixture';

/** Five minutes of known traffic for `id`, aggregated as the aggregator does, as rollup rows. */
function rollupsFor(id: string, t0: number, truth: TrafficTruth) {
  const stats = new CustomerStats(id, {
    format: compileLogFormat('combined-msec'),
    latenessMs: 5000,
    sketch: DEFAULT_SKETCH_OPTIONS,
  });
  const next = knownTrafficSource(id, { seed: 3, clients: 50, hosts: 2 }, [truth]);
  for (let i = 0; i < 3000; i++) {
    const line = next(t0 + i * 100);
    stats.ingest(0, i, i + 1, Buffer.from(line.slice(line.indexOf(' ') + 1)), t0 + i * 100);
  }
  const batch = stats.flush(t0 + 3600_000);
  assert.ok(batch);
  return rollupRows(batch.records.map((r) => r.value));
}

describe('control API e2e: traffic statistics', () => {
  const fx = useControlApi({ prefix: 'stats' });

  it('serves the series and the top lists from the rollups, to admins and the own customer only', async () => {
    const a = await fx.createCustomer();
    const b = await fx.createCustomer();
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const truth = new TrafficTruth(300_000);
    await new StatsRollupRepository(fx.db.manager).replace(rollupsFor(a, t0, truth));

    const res = await fx.api.http().get(`/v1/customers/${a}/stats?range=1h&step=5m`).set(ADMIN);
    assert.equal(res.status, 200, res.text);
    const body = res.body as { points: Array<{ start: string; requests: number; bytes: number }> };
    assert.equal(body.points.length, 12);
    const total = [...truth.of(a).values()].reduce((n, w) => n + w.requests, 0);
    assert.equal(
      body.points.reduce((n, p) => n + p.requests, 0),
      total,
    );
    for (const [start, w] of truth.of(a)) {
      const p = body.points.find((x) => Date.parse(x.start) === start);
      assert.equal(p?.requests, w.requests);
      assert.equal(p?.bytes, w.bytes);
    }

    const token = await fx.customerToken(a);
    const top = await fx.api
      .http()
      .get(`/v1/customers/${a}/stats/top?range=1h&limit=3`)
      .set(bearer(token));
    assert.equal(top.status, 200, top.text);
    const lists = (top.body as { lists: Record<string, Array<{ key: string }>> }).lists;
    assert.equal(lists.clientIps.length, 3);
    assert.equal(lists.hosts.length, 2);

    const other = await fx.api.http().get(`/v1/customers/${b}/stats`).set(bearer(token));
    assert.equal(other.status, 404);
  });

  it('answers 400 with a reason for a range or step it cannot serve', async () => {
    const a = await fx.createCustomer();
    for (const [query, reason] of [
      ['range=forever', /range must be a duration/],
      ['step=0m', /step must be a duration/],
      ['range=31d&step=1d', /at most 30d/],
      ['range=30d&step=1m', /1440 points/],
      ['range=1h&step=2h', /must not exceed range/],
    ] as const) {
      const res = await fx.api.http().get(`/v1/customers/${a}/stats?${query}`).set(ADMIN);
      assert.equal(res.status, 400, query);
      assert.match(errorShape(res.body).message, reason, query);
    }
  });
});
