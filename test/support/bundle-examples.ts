import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bundleRoot, credentialBundleStream } from '@logstream/bundle';
import { loadKafkaConfig, processEnv } from '@logstream/config';
import { type CustomerId, credentialSubject } from '@logstream/tenancy';
import { run, type RunResult } from './process';
import { loadCustomerCa } from './test-pki';

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

/** The packages (`name@version`) of the README's "npm install" line for the Node example. */
export async function readmeNpmPackages(root: string): Promise<string[]> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const lines = readme.split('\n').filter((l) => l.startsWith('npm install '));
  if (lines.length !== 1) throw new Error(`README gives ${lines.length} "npm install" lines`);
  return lines[0].slice('npm install '.length).trim().split(/\s+/);
}

/**
 * Stands in for the README's "npm install ..." in the bundle folder (tests do not reach the
 * npm registry): each package it names, at the version it names, linked into
 * `<root>/node_modules` from where this process resolves it (the repository's node_modules,
 * which holds them as devDependencies; NODE_PATH is searched too). A package missing or at
 * another version fails here, so the README cannot name what the test did not run.
 */
export async function provideNpmPackages(root: string): Promise<void> {
  for (const spec of await readmeNpmPackages(root)) {
    const at = spec.lastIndexOf('@');
    const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, ''];
    const dir = (require.resolve.paths(name) ?? [])
      .map((base) => path.join(base, name))
      .find((candidate) => existsSync(path.join(candidate, 'package.json')));
    if (!dir) throw new Error(`${name}, named by the README's npm install line, is not installed`);
    const installed = (
      JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    if (installed !== version) {
      throw new Error(`the README installs ${spec}, but ${installed} is here (${dir})`);
    }
    const link = path.join(root, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(dir, link);
  }
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

/**
 * What the control API hands a customer for a new credential: a certificate from the customer
 * CA and the zip, unzipped under `dir`; returns the bundle's folder. Its ACLs are the caller's.
 */
export async function issueTestBundle(
  customerId: CustomerId,
  credentialId: string,
  dir: string,
): Promise<string> {
  const { ca, caFile } = await loadCustomerCa();
  const certificate = ca.issue({
    ...credentialSubject(customerId, credentialId),
    usage: 'client',
    validityDays: 1,
  });
  const bundle = credentialBundleStream({
    customerId,
    credentialId,
    bootstrapServers: loadKafkaConfig('logstream-test').customerBootstrap,
    caCertPem: await readFile(caFile, 'utf8'),
    certificate,
  });
  return unzipBundle(bundle, dir, bundleRoot({ customerId }));
}
