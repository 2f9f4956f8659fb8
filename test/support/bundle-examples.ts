import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { processEnv } from '@logstream/config';
import { run, type RunResult } from './process';

/** The three runnable examples, keyed as in the README's commands. */
export type RunnableExample = 'kcat' | 'python' | 'node';

/** Writes a bundle stream to `<dir>/bundle.zip` and unzips it there, as a customer would. */
export async function unzipBundle(zip: Readable, dir: string, root: string): Promise<string> {
  const file = path.join(dir, 'bundle.zip');
  await pipeline(zip, createWriteStream(file));
  const res = await run('unzip', ['-q', file, '-d', dir], { timeoutMs: 15_000 });
  if (res.code !== 0) throw new Error(`unzip failed: ${res.stderr}`);
  return path.join(dir, root);
}

const REPLAY_ALL = ' --from-beginning --exit-at-end';

/**
 * The command of each runnable example, exactly as the bundle's README gives it: its lines
 * "<command> --from-beginning --exit-at-end" (read everything, then exit), without the options.
 */
export async function readmeCommands(root: string): Promise<Record<RunnableExample, string>> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].split('\n'));
  const found = blocks
    .filter((l) => l.endsWith(REPLAY_ALL))
    .map((l) => l.slice(0, -REPLAY_ALL.length));
  const pick = (start: string): string => {
    const hits = found.filter((c) => c.startsWith(start));
    if (hits.length !== 1)
      throw new Error(`README gives ${hits.length} "${start}..." replay commands`);
    return hits[0];
  };
  return {
    kcat: pick('./examples/kcat.sh'),
    python: pick('python3 '),
    node: pick('node '),
  };
}

/**
 * Runs a README command line with bash in `cwd`. Debian's python3-confluent-kafka belongs to
 * /usr/bin/python3, so /usr/bin comes first on PATH: a pyenv or venv python3 found earlier
 * would not have it, and "python3" must be Debian's for the README's command to run as written.
 */
export function runCommand(
  commandLine: string,
  cwd: string,
  timeoutMs = 60_000,
): Promise<RunResult> {
  const env = { ...processEnv(), PATH: `/usr/bin:${processEnv().PATH ?? ''}` };
  return run('bash', ['-c', commandLine], { cwd, env, timeoutMs });
}

/** Output lines, sorted: partitions interleave, so order across them is not the test's business. */
export function sortedLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .sort();
}
