import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig, REPO_ROOT } from '@logstream/config';
import { createKafkaClient } from '@logstream/kafka';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { EdgeTestBed, finalCounters, readTopic, startEdge } from '../support/edge';
import { freePort } from '../support/free-port';
import { randomCustomerId } from '../support/ids';
import { run } from '../support/process';

const REPO = REPO_ROOT;
const UNIT = path.join(REPO, 'apps/edge-producer/deploy/logstream-edge.service');

/** The varnishncsa -F format of the shipped systemd unit, with systemd's %% unescaped. */
function unitFormat(): string {
  const unit = readFileSync(UNIT, 'utf8');
  const m = /-F '([^']+)'/.exec(unit);
  if (!m) throw new Error(`no varnishncsa -F format in ${UNIT}`);
  return m[1].replace(/%%/g, '%').replace(/\\"/g, '"');
}

/**
 * A real Varnish (Debian's varnishd and varnishncsa) in front of a small origin, logged by the
 * edge producer through its exec: source with the systemd unit's own format. The customer id
 * comes from the VCL (std.log, by Host), as apps/edge-producer/deploy/logstream-customer.vcl does.
 */
describe('edge producer behind a real Varnish (exec:varnishncsa, VCL_Log customer id)', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-varnish-test')));
  let dir = '';
  let origin: Server | undefined;
  let varnishd: ChildProcess | undefined;
  let listen = '';
  const a = randomCustomerId('varnish');
  const b = randomCustomerId('varnish');
  const off = randomCustomerId('varnish');
  const hosts: Record<string, CustomerId> = {
    'a.cdn.test': a,
    'b.cdn.test': b,
    'off.cdn.test': off,
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'edge-varnish-'));
    await bed.start();
    // The origin names another customer in a header: the edge must not care.
    origin = createServer((_req, res) => {
      res.setHeader('X-Customer-Id', b);
      res.setHeader('Logstream-Customer', b);
      res.end('hello\n');
    });
    await new Promise<void>((r) => origin?.listen(0, '127.0.0.1', r));
    const originPort = (origin.address() as AddressInfo).port;
    const chain = Object.entries(hosts)
      .map(
        ([host, id]) => `if (req.http.host == "${host}") { std.log("logstream-customer:${id}"); }`,
      )
      .join(' else');
    const vcl = [
      'vcl 4.1;',
      'import std;',
      `backend origin { .host = "127.0.0.1"; .port = "${originPort}"; }`,
      `sub logstream_customer { ${chain} }`,
      'sub vcl_recv { call logstream_customer; return (pass); }',
    ].join('\n');
    await writeFile(path.join(dir, 'default.vcl'), vcl);
    listen = `127.0.0.1:${await freePort()}`;
    varnishd = spawn(
      'varnishd',
      [
        '-F',
        '-n',
        path.join(dir, 'varnish'),
        '-j',
        'none',
        '-a',
        listen,
        '-f',
        path.join(dir, 'default.vcl'),
        '-s',
        'malloc,16m',
        '-T',
        'none',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    for (let i = 0; ; i++) {
      const probe = await run('curl', [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `http://${listen}/`,
      ]);
      if (probe.stdout === '200') break;
      if (i > 100) throw new Error(`varnishd did not answer on ${listen}`);
      await sleep(100);
    }
  });

  after(async () => {
    // varnishd's manager and child both have to go, and Varnish keeps backend connections to
    // the origin open: without both, the test process never ends.
    const child = varnishd;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if ((await Promise.race([exited, sleep(5000, 'late')])) === 'late') child.kill('SIGKILL');
    }
    origin?.closeAllConnections();
    origin?.close();
    await bed.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers each request once to the customer its Host belongs to, none for a disabled one', async () => {
    await bed.customer(a, true);
    await bed.customer(b, true);
    await bed.customer(off, false);
    const command = `varnishncsa -n ${path.join(dir, 'varnish')} -F '${unitFormat()}'`;
    assert.match(command, /%\{VCL_Log:logstream-customer\}x /);
    const edge = startEdge(['--source', `exec:${command}`]);
    try {
      await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
      // varnishncsa logs requests that end after it attached: wait until a marker request shows.
      for (let i = 0; ; i++) {
        await run('curl', [
          '-s',
          '-o',
          '/dev/null',
          '-H',
          'Host: a.cdn.test',
          `http://${listen}/warmup/${i}`,
        ]);
        const got = await readTopic(customerTopic(a));
        if (got.length > 0) break;
        if (i > 60) throw new Error('varnishncsa lines never reached the edge');
        await sleep(500);
      }
      const warmups = (await readTopic(customerTopic(a))).length;
      const perCustomer = 5;
      for (const host of Object.keys(hosts)) {
        for (let i = 0; i < perCustomer; i++) {
          const res = await run('curl', [
            '-s',
            '-H',
            `Host: ${host}`,
            `http://${listen}/${host}/${i}`,
          ]);
          assert.equal(res.stdout, 'hello\n');
        }
      }
      const paths = (id: CustomerId) =>
        readTopic(customerTopic(id)).then((rows) =>
          rows
            .map(([, v]) => /"GET (?:http:\/\/[^/\s]+)?(\S+) HTTP/.exec(v)?.[1])
            .filter((p) => !p?.startsWith('/warmup/')),
        );
      for (let i = 0; (await paths(a)).length + (await paths(b)).length < 2 * perCustomer; i++) {
        if (i > 60) break;
        await sleep(500);
      }
      await edge.stop();
      const want = (host: string) => Array.from({ length: perCustomer }, (_, i) => `/${host}/${i}`);
      assert.deepEqual((await paths(a)).sort(), want('a.cdn.test'));
      assert.deepEqual(
        (await paths(b)).sort(),
        want('b.cdn.test'),
        'the origin header named b: nothing more',
      );
      assert.deepEqual(
        await readTopic(customerTopic(off)),
        [],
        'the disabled customer got nothing',
      );
      const counters = finalCounters(edge) as { droppedBy?: Record<string, number> };
      assert.equal(counters.droppedBy?.inactive, perCustomer);
      assert.ok(warmups >= 1);
    } finally {
      edge.kill('SIGKILL');
    }
  });
});
