import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

const RUNNER = require.resolve('./main.runner');
const CONFIG = require.resolve('../../config/src');

/** Runs `body` as an app's main function in a child process, as a real app would be. */
function runApp(body: string, args: string[] = [], onSpawn?: (pid: number) => void) {
  const script = `
    const { runMain, untilAborted } = require(${JSON.stringify(RUNNER)});
    const { ConfigError } = require(${JSON.stringify(CONFIG)});
    void ConfigError; void untilAborted;
    runMain({ app: 'fixture', help: 'Usage: fixture', argv: process.argv.slice(1) }, async (ctx) => { ${body} });`;
  const child = spawn(process.execPath, ['-e', script, '--', ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes('"msg":"ready"') && child.pid) onSpawn?.(child.pid);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('runMain owns the exit code', () => {
  it('exits with what main returns, 0 by default', async () => {
    assert.equal((await runApp('return;')).code, 0);
    assert.equal((await runApp('return 3;')).code, 3);
  });

  it('exits 2 with the problems, and no stack trace, on a configuration error', async () => {
    const r = await runApp("throw new ConfigError(['LOGSTREAM_X must be a number']);");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^invalid configuration:\n {2}- LOGSTREAM_X must be a number/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('exits 1 and logs one fatal JSON line on any other error, thrown or uncaught', async () => {
    const thrown = await runApp("throw new Error('disk gone');");
    assert.equal(thrown.code, 1);
    const line = jsonLines(thrown.stderr).find((l) => l.level === 'error');
    assert.equal(line?.msg, 'fixture failed');
    assert.equal(line?.error, 'disk gone');
    assert.equal(line?.app, 'fixture');
    const uncaught = await runApp(
      "setTimeout(() => { throw new Error('late'); }, 10); await new Promise(() => {});",
    );
    assert.equal(uncaught.code, 1);
    assert.ok(jsonLines(uncaught.stderr).some((l) => l.error === 'late'));
  });

  it('aborts ctx.signal on SIGTERM and SIGINT, lets main finish its stop, and exits with its code', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const r = await runApp(
        "ctx.logger.info('ready'); await untilAborted(ctx.signal); ctx.logger.info('flushed', { reason: String(ctx.signal.reason) }); return 0;",
        [],
        (pid) => process.kill(pid, signal),
      );
      assert.equal(r.code, 0, r.stderr);
      const lines = jsonLines(r.stderr);
      assert.deepEqual(
        lines.map((l) => l.msg),
        ['ready', 'stopping', 'flushed'],
      );
      assert.equal(lines[2].reason, signal);
    }
  });

  it('prints --help to stdout and exits 0 without running main', async () => {
    const r = await runApp("throw new Error('must not run');", ['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'Usage: fixture\n');
  });
});
