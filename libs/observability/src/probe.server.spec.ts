import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createLogger } from './json.logger';
import { type ProbeServer, startProbeServer } from './probe.server';

const logger = createLogger({ app: 'test', level: 'silent' });

async function get(server: ProbeServer, path: string, method = 'GET') {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('the probe server', () => {
  let ready = false;
  const servers: ProbeServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it('answers /healthz, /readyz by readiness and /metrics as Prometheus text', async () => {
    const server = await startProbeServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      health: () => ({ leader: false }),
      readiness: () => ({ ready, leader: ready }),
      metrics: () => Promise.resolve('# HELP x y\nx 1\n'),
    });
    servers.push(server);
    assert.ok(server.port > 0);
    const health = await get(server, '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok', leader: false });
    assert.equal((await get(server, '/readyz')).status, 503);
    ready = true;
    const readyz = await get(server, '/readyz?verbose=1');
    assert.equal(readyz.status, 200);
    assert.deepEqual(JSON.parse(readyz.body), { ready: true, leader: true });
    const metrics = await get(server, '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.type ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(metrics.body, '# HELP x y\nx 1\n');
  });

  it('answers unknown paths 404 and other methods 405 with the error body, and a failing probe 500', async () => {
    const server = await startProbeServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      readiness: () => {
        throw new Error('db host secret-db:5432 unreachable');
      },
    });
    servers.push(server);
    const missing = await get(server, '/metrics');
    assert.equal(missing.status, 404);
    assert.deepEqual(Object.keys(JSON.parse(missing.body) as object), [
      'statusCode',
      'error',
      'message',
    ]);
    assert.equal((await get(server, '/healthz', 'POST')).status, 405);
    const failed = await get(server, '/readyz');
    assert.equal(failed.status, 500);
    assert.doesNotMatch(failed.body, /secret-db/, 'no internals in the answer');
  });
});
