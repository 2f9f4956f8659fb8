import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { AppProcess } from '../support/app-process';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { startProvisioner } from '../support/provisioner';
import { TcpBlackhole } from '../support/tcp-blackhole';

/** The key the lock had in the source before it came from the database. */
const OLD_SOURCE_KEY = 74_726_001;

describe('provisioner leadership: a lock key of the database, and a leader that fences itself', () => {
  let db: ScratchDatabase;
  const processes: AppProcess[] = [];
  let proxy: TcpBlackhole | undefined;
  let squatter: Client | undefined;

  before(async () => {
    db = await createScratchDatabase('leadership');
  });

  after(async () => {
    for (const p of processes) await p.stop().catch(() => undefined);
    await proxy?.stop();
    await squatter?.end().catch(() => undefined);
    await db.drop();
  });

  it('takes a key nobody can read from the source: a user holding the old source key does not block it', async () => {
    squatter = new Client({ connectionString: db.url });
    await squatter.connect();
    const res = await squatter.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [OLD_SOURCE_KEY],
    );
    assert.equal(res.rows[0]?.locked, true);
    const leader = startProvisioner(db, undefined);
    processes.push(leader);
    await leader.waitForLog((l) => l.msg === 'leadership acquired', 'leadership', 45_000);
    await leader.stop();
  });

  it('a leader whose database link goes silent (no RST) fences itself within a check, and a standby takes over', async () => {
    proxy = new TcpBlackhole('127.0.0.1', Number(new URL(db.url).port || 5432));
    await proxy.start();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const leader = startProvisioner({ url: viaProxy.toString() }, undefined, {
      LOGSTREAM_PROVISIONER_LOCK_CHECK_MS: '500',
      LOGSTREAM_PROVISIONER_LOCK_CHECK_TIMEOUT_MS: '1000',
    });
    processes.push(leader);
    await leader.waitForLog((l) => l.msg === 'leadership acquired', 'leadership', 45_000);
    const standby = startProvisioner(db, undefined);
    processes.push(standby);
    await standby.waitForLog((l) => /standing by/.test(l.msg ?? ''), 'the standby to wait', 45_000);

    const cut = Date.now();
    proxy.blackhole();
    const fenced = await leader.waitForLog(
      (l) => l.msg === 'leadership lost: fencing (all work stops)',
      'the leader to fence itself',
      10_000,
    );
    const fencedMs = Date.now() - cut;
    assert.match(String(fenced.reason), /leader lock check took longer than 1000 ms/);
    assert.ok(fencedMs < 5_000, `fenced after ${fencedMs} ms`);
    await leader.waitForLog(
      (l) => l.msg === 'leadership lost; work stopped, standing by',
      'work to stop',
      10_000,
    );
    // Its lock session torn down, Postgres releases the lock: the standby leads.
    await standby.waitForLog((l) => l.msg === 'leadership acquired', 'the standby to lead', 45_000);
  });
});
