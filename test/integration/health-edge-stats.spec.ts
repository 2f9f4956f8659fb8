import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadKafkaConfig, loadPathsConfig } from '@logstream/config';
import type { CustomerHealth, HealthSeries } from '@logstream/health';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { AppProcess } from '../support/app-process';
import { ADMIN } from '../support/control-api';
import { finalCounters, readTopic, startEdge } from '../support/edge';
import { eventually } from '../support/process';
import { TenantPlatform } from '../support/tenant-platform';
import { recordFigures } from '../support/test-output';

const MAX_LINE_BYTES = 1000;
const TRAFFIC_MS = 12_000;

/** What the test sent through one edge node, per customer. */
interface Sent {
  routed: number;
  routedBytes: number;
  inactive: number;
  oversize: Map<string, number>;
}

/** An edge node over SSL with the development edge certificate, as the provisioner grants it. */
function sslEdge(node: string): AppProcess {
  const pki = loadPathsConfig().pkiDir;
  return startEdge(
    [
      ...['--source', 'stdin', '--node-id', node, '--customer-stats-s', '1'],
      ...['--max-line-bytes', String(MAX_LINE_BYTES)],
      ...['--brokers', loadKafkaConfig('edge-test').customerBootstrap.join(',')],
      ...['--ca-file', path.join(pki, 'ca.pem')],
      ...['--cert-file', path.join(pki, 'edge.pem'), '--key-file', path.join(pki, 'edge.key')],
    ],
    { stdin: 'pipe' },
  );
}

/**
 * Feeds one edge node for TRAFFIC_MS: `perTick` lines of `active` every 10 ms, and now and then
 * a line of the inactive customer and oversize lines (a few KB, and one past a read chunk) of
 * both customers.
 */
async function feed(
  edge: AppProcess,
  active: CustomerId,
  inactive: CustomerId,
  perTick: number,
): Promise<Sent> {
  const sent: Sent = { routed: 0, routedBytes: 0, inactive: 0, oversize: new Map() };
  const oversize = (id: CustomerId, bytes: number) => {
    edge.stdin.write(`${id} ${'o'.repeat(bytes)}\n`);
    sent.oversize.set(id, (sent.oversize.get(id) ?? 0) + 1);
  };
  const end = Date.now() + TRAFFIC_MS;
  for (let tick = 0; Date.now() < end; tick++) {
    const lines: string[] = [];
    for (let i = 0; i < perTick; i++) {
      const value = `203.0.113.${i} "GET /t/${tick}/${i} HTTP/1.1" 200 ${'x'.repeat(tick % 50)}`;
      lines.push(`${active} ${value}\n`);
      sent.routed++;
      sent.routedBytes += Buffer.byteLength(value);
    }
    edge.stdin.write(lines.join(''));
    if (tick % 20 === 0) {
      edge.stdin.write(`${inactive} "GET /dropped HTTP/1.1" 200\n`);
      sent.inactive++;
    }
    if (tick % 37 === 0) oversize(active, MAX_LINE_BYTES + 1 + (tick % 5000));
    if (tick % 53 === 0) oversize(inactive, 4 * MAX_LINE_BYTES);
    if (tick === 300) oversize(active, 300 * 1024); // longer than one 256 KiB read
    await sleep(10);
  }
  edge.stdin.end();
  return sent;
}

describe('delivery health: edge figures per customer (logstream.edge-stats) and broker bytes', () => {
  let platform: TenantPlatform;
  let collector: AppProcess;
  let active: CustomerId;
  let inactive: CustomerId;

  const health = async (id: CustomerId): Promise<CustomerHealth> => {
    const res = await platform.api.http().get(`/v1/customers/${id}/health`).set(ADMIN);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as CustomerHealth;
  };
  const seriesSum = async (id: CustomerId, metric: string): Promise<number> => {
    const res = await platform.api
      .http()
      .get(`/v1/customers/${id}/health/series?metric=${metric}&range=1h&step=60`)
      .set(ADMIN);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as HealthSeries).points.reduce((sum, p) => sum + (p.value ?? 0), 0);
  };
  /** The minute rollups summed: what the collector counted over the whole run. */
  const rollups = async (id: CustomerId) => {
    const rows: Array<Record<string, string>> = await platform.scratch.db.query(
      `SELECT coalesce(sum(produced_lines), 0) AS lines, coalesce(sum(produced_bytes), 0) AS bytes,
         coalesce(sum(edge_inactive), 0) AS inactive, coalesce(sum(edge_oversize), 0) AS oversize
       FROM health_rollups WHERE customer_id = $1`,
      [id],
    );
    const r = rows[0];
    return {
      lines: Number(r.lines),
      bytes: Number(r.bytes),
      inactive: Number(r.inactive),
      oversize: Number(r.oversize),
    };
  };

  before(async () => {
    platform = await TenantPlatform.start('health_edge_stats');
    active = (await platform.createCustomer('hea', 0)).id;
    inactive = (await platform.createCustomer('hei', 0)).id;
    await platform.waitUntilSettled(active, 'active');
    await platform.waitUntilSettled(inactive, 'active');
    const off = await platform.api
      .http()
      .put(`/v1/customers/${inactive}/streaming`)
      .set(ADMIN)
      .send({ enabled: false });
    assert.equal(off.status, 202, JSON.stringify(off.body));
    await platform.waitUntilSettled(inactive, 'disabled');
    // The real collector app, started before the edge nodes (their runs count from zero).
    collector = new AppProcess('health-collector', {
      LOGSTREAM_DATABASE_URL: platform.scratch.url,
      LOGSTREAM_HEALTH_POLL_MS: '500',
      LOGSTREAM_HEALTH_HTTP_PORT: '0',
    });
    await collector.waitForLog((l) => l.msg === 'following edge stats', 'the edge stats follower');
    // The first collection that sees the topic is the baseline of produced lines.
    await eventually(
      async () => ((await health(active)).lastError === null ? true : undefined),
      'a first health snapshot of the active customer',
      30_000,
    );
  });

  after(async () => {
    await collector?.stop();
    await platform?.close();
  });

  it('sums two edge nodes: produced lines agree within 2%, routed bytes and drops exactly', async () => {
    const edges = [sslEdge('edge-a'), sslEdge('edge-b')];
    for (const edge of edges) {
      await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    }
    const feeding = [feed(edges[0], active, inactive, 3), feed(edges[1], active, inactive, 2)];
    // Mid-traffic: both nodes' windows in the customer's figures, bytes/s from the edges.
    await sleep(TRAFFIC_MS / 2);
    let last: CustomerHealth | undefined;
    const during = await eventually(
      async () => {
        const h = (last = await health(active));
        const bytes = (h.produced.bytesPerSec ?? 0) > 0 && (h.broker.producedBytesPerSec ?? 0) > 0;
        return h.edgeDrops.nodes === 2 && bytes ? h : undefined;
      },
      'both edge nodes, and the broker bytes, in the health of the active customer',
      5_000,
      100,
    ).catch((err: unknown) => {
      const logs = collector.raw.slice(-10).join('\n');
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}\n${logs}`);
    });
    const sent = await Promise.all(feeding);
    const counts = [];
    for (const edge of edges) {
      const exit = await edge.waitForExit(30_000);
      assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));
      counts.push(finalCounters(edge));
    }
    // The edges' own counts (their last log line) are what the test sent.
    const own = {
      routed: counts.reduce((n, c) => n + Number(c.routed), 0),
      bytes: counts.reduce((n, c) => n + Number(c.bytesRouted), 0),
      inactive: counts.reduce((n, c) => n + (c.droppedBy as Record<string, number>).inactive, 0),
      oversize: counts.reduce((n, c) => n + (c.droppedBy as Record<string, number>).oversize, 0),
    };
    const sentOversize = (id: string) => sent.reduce((n, s) => n + (s.oversize.get(id) ?? 0), 0);
    assert.deepEqual(own, {
      routed: sent.reduce((n, s) => n + s.routed, 0),
      bytes: sent.reduce((n, s) => n + s.routedBytes, 0),
      inactive: sent.reduce((n, s) => n + s.inactive, 0),
      oversize: sentOversize(active) + sentOversize(inactive),
    });
    for (const c of counts) {
      assert.equal(c.customerStatsFailed, 0, 'no edge stats record failed');
      assert.ok(Number(c.customerStatsSent) >= 10, `${String(c.customerStatsSent)} records`);
    }

    // The collector, after the edges' last records: exact for what the edges report, and the
    // broker's count of produced lines against the edges' own.
    const want = {
      bytes: own.bytes,
      inactive: sent.reduce((n, s) => n + s.inactive, 0),
      activeOversize: sentOversize(active),
      inactiveOversize: sentOversize(inactive),
    };
    let got: typeof want | undefined;
    await eventually(
      async () => {
        const a = await rollups(active);
        const b = await rollups(inactive);
        got = {
          bytes: a.bytes,
          inactive: b.inactive,
          activeOversize: a.oversize,
          inactiveOversize: b.oversize,
        };
        return a.lines >= own.routed && JSON.stringify(got) === JSON.stringify(want)
          ? true
          : undefined;
      },
      'the collector to count the edges’ last records and the last produced lines',
      20_000,
      250,
    ).catch((err: unknown) => {
      throw new Error(
        `${(err as Error).message}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
      );
    });
    const produced = (await rollups(active)).lines;
    const agreement = Math.abs(produced - own.routed) / own.routed;
    assert.ok(agreement <= 0.02, `produced ${produced} lines, the edges routed ${own.routed}`);
    assert.equal((await rollups(active)).inactive, 0);
    // The same through the API a customer reads.
    assert.equal(await seriesSum(active, 'edgeOversize'), want.activeOversize);
    assert.equal(await seriesSum(inactive, 'edgeInactive'), want.inactive);
    assert.equal(Math.round((await seriesSum(active, 'producedBytesPerSec')) * 60), own.bytes);
    const rate = own.routed / (TRAFFIC_MS / 1000);
    // Fetched bytes at the broker: the customer's topic read once (kcat, as a consumer would).
    const read = await readTopic(customerTopic(active));
    assert.equal(read.length, own.routed);
    const fetched = await eventually(
      async () => {
        const f = (await health(active)).broker.fetchedBytesPerSec;
        return f !== null && f > 0 ? f : undefined;
      },
      'fetched bytes of the active customer at the broker',
      10_000,
      100,
    );
    const oversize = `${want.activeOversize} (active) and ${want.inactiveOversize} (inactive)`;
    recordFigures(
      __filename,
      'edge figures per customer, two edge nodes',
      [
        `two edge nodes routed ${own.routed} lines (${own.bytes} bytes) for one customer over ` +
          `${TRAFFIC_MS / 1000} s (~${Math.round(rate)} lines/s); the collector counted ` +
          `${produced} produced lines at the broker (${(agreement * 100).toFixed(2)}% apart) ` +
          `and exactly ${own.bytes} routed bytes, ${want.inactive} inactive and ${oversize} ` +
          "oversize drops from the edges' records.",
        `mid-traffic snapshot: ${during.produced.linesPerSec} lines/s, ` +
          `${during.produced.bytesPerSec} bytes/s routed by ${during.edgeDrops.nodes} edge ` +
          `nodes, ${during.broker.producedBytesPerSec} bytes/s appended at the broker ` +
          `(compressed batches); reading the topic once showed ${fetched} bytes/s fetched.`,
      ].join('\n'),
    );
  });
});
