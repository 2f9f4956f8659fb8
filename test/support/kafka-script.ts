import * as path from 'node:path';
import { loadPathsConfig, REPO_ROOT } from '@logstream/config';
import { run } from './process';

/** Where `scripts/kafka.sh` keeps the cluster on `portBase` (it honours LOGSTREAM_DATA_DIR). */
export function kafkaClusterDir(portBase: number): string {
  return path.join(loadPathsConfig().dataDir, 'kafka', `cluster-${portBase}`);
}

/** Runs `scripts/kafka.sh <args> --port-base <portBase>`: the one wrapper tests and benchmarks use. */
export async function kafkaScript(portBase: number, ...args: string[]): Promise<void> {
  const res = await run(
    'bash',
    [path.join(REPO_ROOT, 'scripts/kafka.sh'), ...args, '--port-base', String(portBase)],
    { timeoutMs: 180_000 },
  );
  if (res.code !== 0) throw new Error(`kafka.sh ${args.join(' ')}: ${res.stderr.slice(-2000)}`);
}
