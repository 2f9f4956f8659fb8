import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { processEnv, REPO_ROOT } from '@logstream/config';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { AppProcess, type LogLine } from '../support/app-process';
import { EdgeTestBed } from '../support/edge';
import { randomCustomerId } from '../support/ids';
import { TestKafkaCluster } from '../support/kafka-cluster';
import { run } from '../support/process';
import { recordFigures } from '../support/test-output';

const kafka = new TestKafkaCluster(29692);
const BROKER = kafka.brokers[0];
/** CI runs a 20 s outage; LOGSTREAM_TEST_EDGE_OUTAGE_S=600 is the 10 minutes. */
const OUTAGE_S = Number(processEnv().LOGSTREAM_TEST_EDGE_OUTAGE_S ?? 20);
const RATE = 2000;
const BEFORE_S = 3;
const AFTER_S = 5;
const BLOCK_LIMIT_MS = 100;
const RSS_BUDGET_MIB = 160;
const WRITER = path.join(REPO_ROOT, 'test/support/scripts/seq-writer.py');

interface WriterReport {
  sent: number;
  blocked: number[];
  worstMs: number;
}

interface Run {
  id: CustomerId;
  edge: AppProcess;
  dir: string;
  report: string;
}

/** An edge reading the seq writer through exec:, spooling to a folder of its own. */
function startSpoolingEdge(id: CustomerId, extra: string[]): Run {
  const dir = mkdtempSync(path.join(tmpdir(), 'edge-spool-'));
  const report = path.join(dir, 'writer.json');
  const seconds = BEFORE_S + OUTAGE_S + AFTER_S;
  // With the default budget librdkafka's queue alone takes ~80 s of this rate: the short CI
  // outage uses a small queue so that the spool is what carries it.
  const queue = OUTAGE_S >= 300 ? [] : ['--queue-max-messages', '1000', '--queue-max-mbytes', '1'];
  const edge = new AppProcess('edge-producer', {}, [
    '--source',
    `exec:python3 ${WRITER} ${id} ${RATE} ${seconds} ${report} ${BLOCK_LIMIT_MS}`,
    '--brokers',
    BROKER,
    '--metrics-listen',
    'off',
    '--linger-ms',
    '100',
    '--stats-interval-s',
    '1',
    '--customer-stats-s',
    '0',
    '--spool-dir',
    path.join(dir, 'spool'),
    ...queue,
    ...extra,
  ]);
  return { id, edge, dir, report };
}

async function delivered(id: CustomerId): Promise<number[]> {
  const res = await run(
    'kcat',
    ['-b', BROKER, '-C', '-t', customerTopic(id), '-o', 'beginning', '-e', '-q'],
    { timeoutMs: 120_000 },
  );
  assert.equal(res.code, 0, res.stderr);
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(/^seq=(\d+) /.exec(l)?.[1]));
}

async function writerDone(r: Run): Promise<WriterReport> {
  const deadline = Date.now() + (BEFORE_S + OUTAGE_S + AFTER_S + 60) * 1000;
  while (!existsSync(r.report)) {
    assert.ok(Date.now() < deadline, 'the writer never finished');
    assert.ok(r.edge.running, r.edge.raw.slice(-10).join('\n'));
    await sleep(200);
  }
  return JSON.parse(readFileSync(r.report, 'utf8')) as WriterReport;
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]) / 1024;
}

const lastStats = (edge: AppProcess): LogLine | undefined =>
  [...edge.lines].reverse().find((l) => l.msg === 'stats');

/**
 * A broker of this test's own is down for OUTAGE_S while two edges read a writer that cannot
 * wait (exec:, 2,000 lines/s): one spools everything and loses nothing, the other has a 1 MiB
 * spool budget and drops its oldest spooled lines, counted exactly.
 */
describe(`edge disk spool through a ${OUTAGE_S} s broker outage`, () => {
  const bed = new EdgeTestBed(kafka.client('spool-test'));
  let full: Run;
  let small: Run;
  let fullReport: WriterReport;
  let smallReport: WriterReport;
  let drainS = 0;
  let drainedLines = 0;
  let peakMiB = 0;

  before(async () => {
    await kafka.start();
    await bed.start();
    const a = randomCustomerId('spool');
    const b = randomCustomerId('spoolcap');
    await bed.customer(a, true, 1, 1);
    await bed.customer(b, true, 1, 1);
    full = startSpoolingEdge(a, []);
    small = startSpoolingEdge(b, ['--spool-max-bytes', '1048576']);
    for (const r of [full, small]) {
      await r.edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    }
    await sleep(BEFORE_S * 1000);
    await kafka.kill(1);
    await sleep(OUTAGE_S * 1000);
    const spooled = lastStats(full.edge);
    await kafka.start();
    const back = Date.now();
    fullReport = await writerDone(full);
    smallReport = await writerDone(small);
    const drained = await full.edge.waitForLog(
      (l) => l.msg === 'spool drained: sending directly again',
      'the spool drained',
      120_000,
    );
    drainS = (Date.now() - back) / 1000;
    drainedLines = Number(drained.drained);
    assert.ok(Number(spooled?.spooled) > 0, `the spool was used: ${JSON.stringify(spooled)}`);
    peakMiB = peakRssMiB(full.edge.pid as number);
    for (const r of [full, small]) {
      // Drained and sending directly again, then a clean stop.
      await r.edge.waitForLog(
        (l) => l.msg === 'stats' && l.spoolBytes === 0 && Number(l.spooled) > 0,
        'an empty spool',
        120_000,
      );
      const exit = await r.edge.stop(60_000);
      assert.equal(exit.code, 0, r.edge.raw.slice(-10).join('\n'));
    }
  });

  after(async () => {
    for (const r of [full, small]) {
      if (r) {
        await r.edge.stop().catch(() => undefined);
        rmSync(r.dir, { recursive: true, force: true });
      }
    }
    await bed.stop().catch(() => undefined);
    await kafka.destroy();
  });

  it('loses no line, never holds the writer up, stays within the memory budget', async () => {
    const seen = await delivered(full.id);
    const unique = new Set(seen);
    const missing = [...Array(fullReport.sent).keys()].filter((s) => !unique.has(s));
    assert.deepEqual(missing, [], 'lines lost');
    assert.deepEqual(fullReport.blocked, [], `writes blocked over ${BLOCK_LIMIT_MS} ms`);
    assert.ok(peakMiB <= RSS_BUDGET_MIB, `peak RSS ${peakMiB.toFixed(1)} MiB`);
    const stopped = [...full.edge.lines].reverse().find((l) => l.msg === 'stopped') as LogLine;
    recordFigures(
      __filename,
      `edge disk spool, ${OUTAGE_S} s broker outage`,
      `${OUTAGE_S} s broker outage at ${RATE} lines/s through exec: (${OUTAGE_S >= 300 ? 'default queue' : 'queue of 1,000 lines'}): ` +
        `${fullReport.sent} lines written, ${unique.size} delivered, 0 lost, ${seen.length - unique.size} repeated; ` +
        `${String(stopped.spooled)} spooled; worst write ${fullReport.worstMs} ms (limit ${BLOCK_LIMIT_MS} ms), ` +
        `longest spool append ${String(stopped.spoolAppendMaxMs)} ms; peak RSS (VmHWM) ${peakMiB.toFixed(1)} MiB (budget ${RSS_BUDGET_MIB}); ` +
        `spool drained ${drainedLines} lines ${drainS.toFixed(1)} s after the broker restart was started ` +
        `(${Math.round(drainedLines / drainS)} lines/s, broker start and reconnect included)`,
    );
  });

  it('with its budget exhausted, drops the oldest spooled lines, counted exactly, and delivers the newest', async () => {
    const seen = await delivered(small.id);
    const unique = new Set(seen);
    const missing = [...Array(smallReport.sent).keys()].filter((s) => !unique.has(s));
    const stopped = [...small.edge.lines].reverse().find((l) => l.msg === 'stopped') as LogLine;
    const dropped = (stopped.droppedBy as Record<string, number>).queue_full;
    assert.ok(dropped > 0, 'the budget was exhausted');
    assert.equal(missing.length, dropped, 'every missing line is counted as dropped');
    assert.equal(Number(stopped.spoolDropped), dropped);
    assert.ok(unique.has(smallReport.sent - 1), 'the newest line is delivered');
    // The dropped lines are the oldest spooled: one run of sequence numbers.
    assert.equal(missing[missing.length - 1] - missing[0] + 1, missing.length, 'one run');
    recordFigures(
      __filename,
      'edge disk spool budget exhausted',
      `1 MiB spool budget through a ${OUTAGE_S} s outage: ${smallReport.sent} lines written, ` +
        `${dropped} dropped from the spool (seq ${missing[0]}..${missing[missing.length - 1]}, the oldest spooled), ` +
        `counted exactly; the newest delivered`,
    );
  });
});
