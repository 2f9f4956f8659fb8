import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from '../../test/support/process';
import { progress } from '../support/bench-report';
import { recordsInTopics } from '../support/dedicated-broker.service';
import { onInterrupt } from '../support/interrupt-cleanup.service';
import {
  clockTicksPerSecond,
  processCpuSeconds,
  processMemory,
} from '../support/process-stats.reader';
import { type Compression, measured, type PeerResult } from './edge-report.factory';
import { rsyslogConfig } from './rsyslog-config.factory';

/** Runs `command` under GNU time with stdin from `input`: wall, user+system CPU, peak RSS. */
export async function timedCommand(
  peer: string,
  compression: Compression,
  lines: number,
  input: string,
  command: string,
): Promise<PeerResult> {
  const res = await run(
    'bash',
    ['-c', `/usr/bin/time -f 'TIME %e %U %S %M' ${command} < '${input}' > /dev/null`],
    { timeoutMs: 20 * 60_000 },
  );
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(res.stderr);
  if (res.code !== 0 || !m) {
    throw new Error(`${peer} failed (${res.code}): ${res.stderr.slice(-2000)}`);
  }
  return measured(peer, compression, lines, {
    wallS: Number(m[1]),
    cpuS: Number(m[2]) + Number(m[3]),
    peakRssBytes: Number(m[4]) * 1024,
  });
}

export interface RsyslogRun {
  broker: string;
  input: string;
  lines: number;
  compression: Compression;
  topics: readonly string[];
  workDir: string;
  timeoutMs: number;
}

/**
 * rsyslogd in the foreground with a config of its own (imfile → omkafka, dynamic topic per
 * customer). rsyslog has no "done" of its own, so the wall time runs from its start until the
 * topics' high watermarks have grown by `lines`; CPU and peak RSS are read from /proc then.
 */
export async function runRsyslog(r: RsyslogRun): Promise<PeerResult> {
  await rm(r.workDir, { recursive: true, force: true });
  await mkdir(r.workDir, { recursive: true });
  const conf = path.join(r.workDir, 'rsyslog.conf');
  await writeFile(
    conf,
    rsyslogConfig({
      workDir: r.workDir,
      input: r.input,
      broker: r.broker,
      compression: r.compression,
      lingerMs: 1000,
      topicCacheSize: r.topics.length + 10,
    }),
  );
  const baseline = await recordsInTopics(r.broker, r.topics);
  const ticks = await clockTicksPerSecond();
  const started = performance.now();
  const child = spawn('rsyslogd', ['-n', '-f', conf, '-i', path.join(r.workDir, 'rsyslogd.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const unregister = onInterrupt(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const pid = child.pid;
  try {
    if (pid === undefined) throw new Error('rsyslogd did not start');
    let records = 0;
    let lastReport = started;
    while (records < r.lines) {
      await sleep(200);
      if (child.exitCode !== null) throw new Error(`rsyslogd exited: ${stderr}`);
      if (performance.now() - started > r.timeoutMs) {
        throw new Error(`rsyslogd delivered ${records} of ${r.lines} lines in time: ${stderr}`);
      }
      records = (await recordsInTopics(r.broker, r.topics)) - baseline;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        progress(`  rsyslog: ${records.toLocaleString('en')} lines in Kafka`);
      }
    }
    const wallS = (performance.now() - started) / 1000;
    const cpuS = await processCpuSeconds(pid, ticks);
    const memory = await processMemory(pid);
    if (records !== r.lines) progress(`  rsyslog wrote ${records} records for ${r.lines} lines`);
    return measured('rsyslog omkafka, dynamic topics', r.compression, r.lines, {
      wallS,
      cpuS,
      peakRssBytes: memory.peakRssBytes,
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode !== null ? resolve(null) : child.once('exit', resolve),
    );
    unregister();
  }
}
