import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

const HARNESS = path.resolve(__dirname, '../../../test/support/scripts/supervised-apps.sh');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Run {
  npm: ChildProcess;
  out: string;
  /** Every process below the supervising script once its apps run. */
  pids: number[];
  /** The supervising script (npm's child: package.json runs it with exec). */
  script: number;
}

/** `npm run` of a script that supervises stand-in apps as scripts/dev.sh does. */
async function start(): Promise<Run> {
  const out = mkdtempSync(path.join(tmpdir(), 'logstream-supervise-'));
  writeFileSync(
    path.join(out, 'package.json'),
    JSON.stringify({ name: 'sv', private: true, scripts: { sv: `exec bash ${HARNESS}` } }),
  );
  const npm = spawn('npm', ['run', '--silent', 'sv', '--', out], {
    cwd: out,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await until('the stand-in apps', () => existsSync(path.join(out, 'ready')));
  const pids = readFileSync(path.join(out, 'ready'), 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  const script = Number(readFileSync(path.join(out, 'script.pid'), 'utf8'));
  return { npm, out, pids, script };
}

async function assertAllStopped(run: Run, termsExpected: boolean): Promise<void> {
  await until(
    'every process to stop',
    () => !alive(run.script) && run.pids.every((p) => !alive(p)),
  );
  assert.equal(readFileSync(path.join(run.out, 'on-stop'), 'utf8').trim(), 'stopped');
  if (termsExpected) {
    const terms = readFileSync(path.join(run.out, 'terms'), 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(terms.sort(), ['api', 'provisioner']);
  }
  rmSync(run.out, { recursive: true, force: true });
}

describe("scripts/dev.sh's supervision (scripts/supervise.sh)", () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops every app when ${signal} reaches the npm process alone`, async () => {
      const run = await start();
      run.npm.kill(signal);
      await assertAllStopped(run, true);
    });
  }

  it('stops every app when SIGTERM reaches the script alone', async () => {
    const run = await start();
    process.kill(run.script, 'SIGTERM');
    await assertAllStopped(run, true);
  });

  it('stops every app when the process that started it dies (SIGKILL to npm)', async () => {
    const run = await start();
    run.npm.kill('SIGKILL');
    await assertAllStopped(run, true);
  });

  it('stops everything when one app ends, and leaves no sleep behind', async () => {
    const run = await start();
    const apps = run.pids.filter(
      (p) => alive(p) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('provisioner'),
    );
    assert.equal(apps.length, 1);
    process.kill(apps[0], 'SIGKILL');
    await assertAllStopped(run, false);
    assert.ok(!run.pids.some(alive));
  });
});
